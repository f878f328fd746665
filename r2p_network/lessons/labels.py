"""How the fixed vocabularies of lessons read, in the reader's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from r2p_network.lessons.content import Decision
from r2p_network.models import LessonKind

PILLAR_LABELS = {
    "1": _l("Pillar I: the State's own responsibility"),
    "2": _l("Pillar II: international assistance"),
    "3": _l("Pillar III: timely and decisive response"),
}
CRIME_LABELS = {
    "genocide": _l("Genocide"),
    "war-crimes": _l("War crimes"),
    "ethnic-cleansing": _l("Ethnic cleansing"),
    "crimes-against-humanity": _l("Crimes against humanity"),
}
KIND_LABELS = {
    LessonKind.GOOD_PRACTICE.value: _l("Good practice"),
    LessonKind.CASE_STUDY.value: _l("Case study"),
    LessonKind.THEMATIC_STUDY.value: _l("Thematic study"),
    LessonKind.PATTERN_OVER_TIME.value: _l("Pattern over time"),
    LessonKind.DO_NO_HARM.value: _l("Doing no harm"),
}
KIND_HELP = _l(
    "A good practice worth repeating; a case study of one situation; a thematic study across cases; "
    "a pattern seen over time; or a lesson on how to do no harm."
)
SECTION_LABELS = {
    "what_happened": _l("What happened"),
    "what_worked": _l("What worked"),
    "what_did_not": _l("What did not"),
    "recommendations": _l("Recommendations"),
}
DECISION_LABELS = {
    Decision.APPROVE: _l("Approve and publish"),
    Decision.REQUEST_CHANGES: _l("Ask the author for changes"),
    Decision.REJECT: _l("Reject"),
}
