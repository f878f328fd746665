"""Page parts that cost much to build and are the same for many readers, kept until the data
under them changes.

How the parts stay right:

- Every commit that changes data also writes a new random token to the one-row table
  ``data_revision``, in the same transaction (see ``watch``). Each model says whether its writes
  count (``renews_data``; a test fails when one does not say), and may name columns whose changes
  do not (``quiet_columns``): sign-in bookkeeping, the audit trail and notifications change on
  every visit and show in no cached part, so a sign-in empties no store.
- A page reads the token first (one query), then looks for its part under the token and its
  key. On a miss it builds the part with queries that run after the token was read: they see
  that state of the data or a newer one, so no part is ever older than its token.
- Tokens are random, so a database restored from a backup never meets parts built for other
  data.

Each worker process keeps its parts in memory, up to ``FRAGMENT_CACHE_CHARS`` characters
(0 turns caching off); a new token empties the store.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any, cast

from flask import Flask, current_app, render_template
from flask_babel import get_timezone
from markupsafe import Markup
from sqlalchemy import Table, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, scoped_session
from sqlalchemy.sql.dml import UpdateBase

from r2p_network.core.i18n import current_lang
from r2p_network.extensions import db
from r2p_network.models import DataRevision
from r2p_network.models.base import Base

_CHANGED = "r2p_data_changed"


class FragmentStore:
    """Rendered parts of one worker, for one token at a time, least recently used out first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._token: str | None = None
        self._parts: OrderedDict[Hashable, str] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, token: str, key: Hashable) -> str | None:
        with self._lock:
            if token != self._token:
                return None
            part = self._parts.get(key)
            if part is not None:
                self._parts.move_to_end(key)
            return part

    def put(self, token: str, key: Hashable, part: str) -> None:
        if len(part) > self.limit:
            return
        with self._lock:
            if token != self._token:
                self._token, self._size = token, 0
                self._parts.clear()
            old = self._parts.pop(key, None)
            self._size += len(part) - (len(old) if old is not None else 0)
            self._parts[key] = part
            while self._size > self.limit:
                _key, dropped = self._parts.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._token, self._size = None, 0
            self._parts.clear()


def init_app(app: Flask) -> None:
    app.extensions["fragments"] = FragmentStore(app.config["FRAGMENT_CACHE_CHARS"])
    watch(Session)


def current_token() -> str:
    return db.session.scalar(select(DataRevision.token).where(DataRevision.id == 1)) or ""


def fragment_key(template: str, parts: tuple[Hashable, ...], audience: Hashable) -> tuple[Hashable, ...]:
    """The one key of a cached part: its template, what selects it, the audience, the language
    and the time zone (times in a part are shown in the reader's zone).

    *audience* names who may see the part (e.g. visitors, members, those who see restricted
    needs), so a part built for one audience never reaches another.
    """
    return (template, *parts, ("audience", audience), ("lang", current_lang()), ("tz", str(get_timezone())))


def cached(
    template: str, parts: tuple[Hashable, ...], audience: Hashable, context: Callable[[], dict[str, Any]]
) -> Markup:
    """*template* rendered with *context()*, kept for the current data under ``fragment_key``.

    Only a template rendered here is ever kept and marked safe: Jinja has escaped everything in
    it, so no caller can pass other text through as HTML. A cached template reads nothing of the
    reader (user, request, CSRF token): a test checks it.
    """
    key = fragment_key(template, parts, audience)
    store: FragmentStore = current_app.extensions["fragments"]
    token = current_token() if store.limit > 0 else ""
    part = store.get(token, key) if token else None
    if part is None:
        part = render_template(template, **context())
        if token:
            store.put(token, key, part)
    return Markup(part)  # noqa: S704  # nosec B704


def renew(session: Session | scoped_session[Any]) -> None:
    """Give the data a new token now (after changes made outside the application)."""
    session.execute(update(DataRevision).where(DataRevision.id == 1).values(token=secrets.token_hex(16)))


def renew_if_changed(session: Session) -> None:
    """Give the data a new token inside *session*'s transaction if it changed any."""
    if session.info.pop(_CHANGED, False):
        statement = update(DataRevision).where(DataRevision.id == 1).values(token=secrets.token_hex(16))
        session.connection().execute(statement)


@cache
def _renewing_tables() -> frozenset[str]:
    """Tables whose writes renew the token, as their models declare."""
    return frozenset(
        # Every model is mapped to a Table; the mapper's typing only promises a FromClause.
        cast(Table, mapper.local_table).name
        for mapper in Base.registry.mappers
        if getattr(mapper.class_, "renews_data", True)
    )


def _renews(obj: Any, *, updated: bool) -> bool:
    """Whether writing *obj* changes data that a cached part may show."""
    if not getattr(type(obj), "renews_data", True):
        return False
    quiet: frozenset[str] = getattr(type(obj), "quiet_columns", frozenset())
    if not updated or not quiet:
        return True
    state = inspect(obj)
    return any(attr.key not in quiet and attr.history.has_changes() for attr in state.attrs)


def _after_flush(session: Session, _context: Any) -> None:
    # History is still there in after_flush: an update renews only if a loud column changed.
    if any(_renews(obj, updated=False) for obj in (*session.new, *session.deleted)) or any(
        _renews(obj, updated=True) for obj in session.dirty
    ):
        session.info[_CHANGED] = True


def _on_execute(state: ORMExecuteState) -> None:
    # Bulk statements (insert(Model).values(...), update(...), delete(...)) skip the flush.
    writes = state.is_insert or state.is_update or state.is_delete
    statement = state.statement
    if (
        writes
        and isinstance(statement, UpdateBase)
        and getattr(statement.table, "name", "") in _renewing_tables()
    ):
        state.session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    # The commit's own flush comes after this event: flush first to see every change.
    session.flush()
    renew_if_changed(session)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


_LISTENERS = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _on_execute),
    ("before_commit", _before_commit),
    ("after_transaction_end", _after_transaction_end),
)


def watch(session_class: type[Session]) -> None:
    """Renew the token with every commit of *session_class* (and its subclasses) that changes data."""
    for name, listener in _LISTENERS:
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
