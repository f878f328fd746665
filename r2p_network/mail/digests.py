"""News by mail: at once, in a daily or a weekly digest, per member and kind.

Every few minutes the worker looks for (member, kind) pairs whose period has passed since their
last message, gathers what happened since then that the member may read now, and queues one
message per kind (so its unsubscribe link turns off exactly that kind). Nothing new: no message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from r2p_network.core import emails
from r2p_network.core.i18n import LANGUAGES
from r2p_network.extensions import db
from r2p_network.mail import news, team_news  # noqa: F401  (register the kinds)
from r2p_network.mail.kinds import KINDS
from r2p_network.mail.services import unsubscribe_token
from r2p_network.models import AccountStatus, Frequency, NotificationPreference, User

PERIODS = {
    Frequency.IMMEDIATE: timedelta(0),
    Frequency.DAILY: timedelta(days=1),
    Frequency.WEEKLY: timedelta(days=7),
}
SUBJECTS = {
    Frequency.IMMEDIATE: _l("New on the R2P network: %(kind)s"),
    Frequency.DAILY: _l("Your daily digest: %(kind)s"),
    Frequency.WEEKLY: _l("Your weekly digest: %(kind)s"),
}


def news_headers(user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    """The one-click unsubscribe link of a message, and its ``List-Unsubscribe`` headers (RFC 8058)."""
    link = emails.link("mail.unsubscribe_link", token=unsubscribe_token(user_id, kind))
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def send_for(user: User, pref: NotificationPreference, now: datetime) -> bool:
    """Queue one member's message for one kind if anything happened since the last; move the
    window on either way. True when a message was queued."""
    kind = KINDS[pref.kind]
    lang = user.language if user.language in LANGUAGES else "en"
    with force_locale(lang):  # names in the items (capacities, countries) in the reader's language
        items = kind.collect(user, pref.filters or {}, pref.digested_until, now)
    pref.digested_until = now
    if not items:
        return False
    unsubscribe, headers = news_headers(user.id, kind.key)
    emails.write(
        user.email,
        emails.subject(SUBJECTS[pref.frequency], kind=kind.label),
        "news",
        lang=lang,
        context={
            "user": user,
            "kind": kind,
            "frequency": pref.frequency,
            "items": items,
            "unsubscribe": unsubscribe,
            "preferences": emails.link("mail.preferences"),
        },
        headers=headers,
    )
    return True


def send_due(now: datetime) -> int:
    """Queue every member's due news and digests; returns how many messages were queued.

    A member seen for the first time gets default preferences that start now, so nobody
    receives the whole history at once.
    """
    users = db.session.scalars(
        select(User).where(User.status == AccountStatus.ACTIVE).options(selectinload(User.profile))
    ).all()
    saved = {(row.user_id, row.kind): row for row in db.session.scalars(select(NotificationPreference)).all()}
    queued = 0
    for user in users:
        for key, kind in KINDS.items():
            pref = saved.get((user.id, key))
            if pref is None:
                db.session.add(
                    NotificationPreference(
                        user_id=user.id, kind=key, frequency=kind.default, digested_until=now
                    )
                )
                continue
            period = PERIODS.get(pref.frequency)
            if period is None or now - pref.digested_until < period:
                continue
            queued += send_for(user, pref, now)
    db.session.flush()
    return queued
