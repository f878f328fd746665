"""iCalendar (RFC 5545) files of events: times in the zone of the place, with its VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from r2p_network.core.emails import link
from r2p_network.core.richtext import plain_text
from r2p_network.models import Event, utcnow


def _uid(event: Event) -> str:
    host = current_app.config.get("SERVER_NAME") or "r2p-network"
    return f"event-{event.id}@{host}"


def calendar(events: Iterable[Event], name: str) -> bytes:
    """One calendar holding *events*; each start and end carries the TZID of its place."""
    cal = Calendar()
    cal.add("prodid", "-//R2P Focal Point Network//Events//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = utcnow()
    for event in events:
        zone = ZoneInfo(event.time_zone)
        entry = CalendarEvent()
        entry.add("uid", _uid(event))
        entry.add("dtstamp", stamp)
        entry.add("sequence", event.sequence)
        entry.add("summary", event.title)
        entry.add("dtstart", event.starts_at.astimezone(zone))
        entry.add("dtend", event.ends_at.astimezone(zone))
        if event.description_html:
            entry.add("description", plain_text(event.description_html))
        location = ", ".join(part for part in (event.place, event.online_url) if part)
        if location:
            entry.add("location", location)
        entry.add("url", link("events.detail", event_id=event.id))
        cal.add_component(entry)
    cal.add_missing_timezones()
    return cal.to_ical()
