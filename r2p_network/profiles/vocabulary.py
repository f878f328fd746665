"""Fixed lists for profiles: areas of expertise and working languages."""

from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l

# Areas of expertise, drawn from the tools and capacities the UN reports name.
EXPERTISE = {
    "early_warning": _l("Early warning and risk assessment"),
    "mediation": _l("Mediation and dialogue"),
    "preventive_diplomacy": _l("Preventive diplomacy and good offices"),
    "transitional_justice": _l("Transitional justice"),
    "security_sector_reform": _l("Security-sector reform"),
    "hate_speech_media": _l("Hate speech, incitement and media"),
    "ihl_training": _l("International humanitarian law training"),
    "refugee_protection": _l("Refugee and IDP protection"),
    "elections": _l("Elections"),
    "legislation": _l("Legislation and treaty implementation"),
    "icc_cooperation": _l("Cooperation with the International Criminal Court"),
    "human_rights_monitoring": _l("Human rights monitoring"),
    "fact_finding": _l("Fact-finding and commissions of inquiry"),
    "rule_of_law": _l("Rule of law and justice"),
    "minority_rights": _l("Minority rights and non-discrimination"),
    "gender": _l("Gender and atrocity prevention"),
    "protection_of_civilians": _l("Protection of civilians and peacekeeping"),
    "sanctions": _l("Targeted sanctions"),
    "education_memory": _l("Education and remembrance"),
    "civil_society": _l("Civil-society engagement"),
}

# The six UN languages first, then other widely used working languages (ISO 639-1).
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
OTHER_LANGUAGES = (
    "am", "bn", "de", "fa", "ha", "hi", "id", "it", "ja", "ko", "ky", "ms",
    "nl", "pl", "pt", "sw", "th", "tl", "tr", "uk", "ur", "vi", "yo", "zu",
)  # fmt: skip
LANGUAGES = UN_LANGUAGES + OTHER_LANGUAGES


def language_name(code: str, ui_lang: str) -> str:
    """A language's name in the reader's language, from CLDR."""
    name = Locale.parse(ui_lang).languages.get(code, code)
    return name[:1].upper() + name[1:]


def expertise_label(code: str) -> str:
    return str(EXPERTISE.get(code, code))
