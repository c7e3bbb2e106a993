"""The one source of every schedule format: an event's released schedule as the public site shows
it (``sessions_app.public_schedule``: the release's slots for times and rooms, today's rows for
titles, abstracts, tracks and speakers, the release's blocks), with what the formats add: absolute
addresses, stable UIDs and GUIDs, and each session's SEQUENCE.

SEQUENCE counts the releases in which a session's released entry (its title, start, end or room)
differed from its entry in the release before in which it appeared: 0 for a session unchanged
since its first release; a release that changes nothing of a session leaves its number alone.
Edits that no release records (an abstract, a speaker) do not bump it: they change the feed's
ETag, and a calendar that refetches sees them.

Queries: those of ``public_schedule`` (release, rooms, sessions, speakers) and, when the event has
more than one release, one more for the releases' slots; none per session.
"""

import datetime
import hashlib
import re
import uuid
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.urls import reverse

from sessions_app.public_schedule import public_schedule
from sessions_app.services.day_export import event_dates, uid_domain

from ..queries import release_slots

#: When neither ``base_url`` nor ``settings.SITE_URL`` says where the site is.
FALLBACK_BASE_URL = "http://localhost"
#: RFC 9562 name-based UUIDs (version 5, SHA-1): the namespace, and the version and variant bits.
_NAMESPACE = uuid.NAMESPACE_URL.bytes
_UUID_BYTES, _VERSION_BYTE, _VARIANT_BYTE = 16, 6, 8
_VERSION_5, _LOW_NIBBLE, _VARIANT_RFC, _LOW_SIX_BITS = 0x50, 0x0F, 0x80, 0x3F
#: The placeholder session id the session address is reversed with once (then filled per session).
_SAMPLE_PK = 1


def base_url_of(base_url=None):
    return (base_url or settings.SITE_URL or FALLBACK_BASE_URL).rstrip("/")


def _slot_key(slot):
    return (slot.get("title"), slot["starts_at"], slot["ends_at"], slot["microlocation"])


def sequences(history):
    """{session id: SEQUENCE} from the releases' slot lists, oldest first (see the module)."""
    last, counts = {}, {}
    for slots in history:
        for slot in slots:
            pk, key = slot["session"], _slot_key(slot)
            if pk in last and last[pk] != key:
                counts[pk] = counts.get(pk, 0) + 1
            last[pk] = key
    return counts


def name_uuid(name):
    """``str(uuid.uuid5(uuid.NAMESPACE_URL, name))`` without building a ``UUID`` (thousands per feed)."""
    digest = bytearray(hashlib.sha1(_NAMESPACE + name.encode(), usedforsecurity=False).digest()[:_UUID_BYTES])
    digest[_VERSION_BYTE] = (digest[_VERSION_BYTE] & _LOW_NIBBLE) | _VERSION_5
    digest[_VARIANT_BYTE] = (digest[_VARIANT_BYTE] & _LOW_SIX_BITS) | _VARIANT_RFC
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@dataclass
class FeedSchedule:
    """``event``'s released schedule (``schedule``, a ``PublicSchedule``) and the addresses the
    formats link to (``base_url``: scheme and host, no slash at the end)."""

    event: object
    schedule: object
    base_url: str

    @classmethod
    def of(cls, event, base_url=None):
        return cls(event=event, schedule=public_schedule(event), base_url=base_url_of(base_url))

    @property
    def zone(self):
        return self.schedule.zone

    @cached_property
    def release(self):
        """The current ``ScheduleRelease`` (None when the schedule is not published)."""
        return self.schedule.released.release if self.schedule.released else None

    @property
    def version(self):
        return self.release.version if self.release else 0

    @cached_property
    def domain(self):
        return uid_domain()

    @cached_property
    def sequences(self):
        """{session id: SEQUENCE}; a session not in it is at 0. No query for a first release."""
        if self.version <= 1:
            return {}
        return sequences(release_slots(self.event, self.version))

    @cached_property
    def event_url(self):
        return self.base_url + reverse("public-event", args=[self.event.identifier])

    @cached_property
    def _session_prefix(self):
        sample = reverse("public-session", args=[self.event.identifier, _SAMPLE_PK])
        return self.base_url + sample[: -len(f"{_SAMPLE_PK}/")]

    def session_url(self, pk):
        """The public page of session ``pk`` (one ``reverse`` per feed, not per session)."""
        return f"{self._session_prefix}{pk}/"

    def guid(self, kind, pk):
        """A UUID naming ``kind`` ``pk`` (a session, a room, a speaker) for ever, derived from its
        UID, as frab's ``guid`` attributes want."""
        return name_uuid(f"{kind}-{pk}@{self.domain}")

    @cached_property
    def dates(self):
        """Every local date of the event, and of any released session outside it, in order."""
        first, last = event_dates(self.event)
        days = {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}
        days.update(item.day for item in self.schedule.items)
        return sorted(days)

    @cached_property
    def acronym(self):
        """The identifier as frab's acronym (``[a-z0-9_]``, at least four characters)."""
        text = re.sub(r"[^a-z0-9_]", "_", self.event.identifier.lower())
        return text.ljust(4, "_")
