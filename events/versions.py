"""The version of an event's public documents, which names them in the document cache
(``openevent.api.cache``; the viewsets' scope is ``events.api.public_cache``).

Receivers of the signals of every write that changes what an anonymous reader sees of an event's
program (``events.receivers``, ``sessions_app.receivers``) call ``bump``; the next anonymous read
then builds, and stores, a new document.

The version lives in the event's row (``Event.program_version``) rather than in the cache: it is
read in the same query that checks that the event is public, every web process sees the same value
whatever the cache backend (the local-memory default is one cache per process), and it survives a
cache that is flushed or evicts it. A bump writes a new random number rather than adding one: a save
of an event loaded before a bump writes the older number back, and a counter could then meet the
documents once stored under its next value; a random number is one never seen before.
"""
from .models import Event, new_program_version


def bump(event_ids):
    """New versions for ``event_ids`` (ids, or a ``values("event_id")`` queryset)."""
    Event.all_objects.filter(pk__in=event_ids).update(program_version=new_program_version())
