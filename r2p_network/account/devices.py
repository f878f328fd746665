"""Readable names for the browsers on the sessions page, read from their User-Agent strings.

A small table of patterns is enough here: the page only has to help a member recognise their
own devices ("Firefox on Windows"), so an unknown string falls back to "Unknown browser".
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Order matters: Edge, Opera and Samsung Internet also announce Chrome, and Chrome announces Safari.
BROWSERS = [
    ("Edge", re.compile(r"Edg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"(?:OPR|Opera)/(\d+)")),
    ("Samsung Internet", re.compile(r"SamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"(?:Chrome|CriOS|Chromium)/(\d+)")),
    ("Safari", re.compile(r"Version/(\d+)[\d.]* (?:Mobile/\S+ )?Safari/")),
]
SYSTEMS = [
    ("iPhone", re.compile(r"iPhone")),
    ("iPad", re.compile(r"iPad")),
    ("Android", re.compile(r"Android")),
    ("Windows", re.compile(r"Windows")),
    ("ChromeOS", re.compile(r"CrOS")),
    ("macOS", re.compile(r"Mac OS X|Macintosh")),
    ("Linux", re.compile(r"Linux|X11")),
]
UNKNOWN_BROWSER = _l("Unknown browser")
UNKNOWN_SYSTEM = _l("an unknown system")


def _first(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> tuple[str, str] | None:
    for name, pattern in patterns:
        match = pattern.search(text)
        if match:
            return name, (match.group(1) if match.groups() else "")
    return None


def device_name(user_agent: str | None) -> str:
    """ "Firefox 133 on Windows", "Safari on iPhone": the browser, its version and the system."""
    text = user_agent or ""
    browser = _first(BROWSERS, text)
    system = _first(SYSTEMS, text)
    if browser is None and system is None:
        return str(UNKNOWN_BROWSER)
    name = f"{browser[0]} {browser[1]}".strip() if browser else str(UNKNOWN_BROWSER)
    return _("%(browser)s on %(system)s", browser=name, system=system[0] if system else UNKNOWN_SYSTEM)
