"""Values and filters that every template can use."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask, request
from flask_babel import format_date, format_datetime

from r2p_network.forms import MEMBERSHIP_LABELS, NETWORK_LABELS
from r2p_network.main.forms import LANGUAGE_NAMES, LanguageForm
from r2p_network.profiles.vocabulary import expertise_label, language_name
from r2p_network.reference import current_lang

RTL_LANGUAGES = frozenset({"ar"})


def _context() -> dict[str, Any]:
    lang = current_lang()
    form = LanguageForm(formdata=None, data={"lang": lang, "next": request.full_path.rstrip("?")})
    return {
        "lang": lang,
        "text_direction": "rtl" if lang in RTL_LANGUAGES else "ltr",
        "language_form": form,
        "language_names": LANGUAGE_NAMES,
        "network_labels": NETWORK_LABELS,
        "membership_labels": MEMBERSHIP_LABELS,
        "expertise_label": expertise_label,
        "language_name": lambda code: language_name(code, lang),
    }


def _when(value: datetime | None, fmt: str = "medium") -> str:
    return format_datetime(value, fmt) if value else ""


def _date_medium(value: date | None) -> str:
    return format_date(value, "medium") if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(_context)
    app.jinja_env.filters["when"] = _when
    app.jinja_env.filters["date_medium"] = _date_medium
