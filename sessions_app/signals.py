"""Signals the sessions app sends, after commit. Receivers take ``**kwargs``.

- ``session_created``: session, actor
- ``session_updated``: session, actor (any change through ``update_session``; the signals below
  follow for state and schedule changes)
- ``session_state_changed``: session, old_state, new_state, actor, send_email (False when the
  client asked that no mail go out for this change: the write-only ``send-email`` attribute)
- ``session_schedule_changed``: session, old (dict of starts_at, ends_at, microlocation_id), actor
- ``session_speakers_changed``: session, actor (speakers linked to or unlinked from it)
- ``session_deleted``: session, actor, permanent; ``session_restored``: session, actor
- ``speaker_created``, ``speaker_updated``: speaker, actor
- ``speaker_deleted``: speaker, actor, permanent; ``speaker_restored``: speaker, actor

The sender is the model class (``Session`` or ``Speaker``). Only ``sessions_app.services`` sends
them, each once per change, after the transaction commits (``openevent.core.signals.send_after_commit``).
"""
from django.dispatch import Signal

session_created = Signal()
session_updated = Signal()
session_state_changed = Signal()
session_schedule_changed = Signal()
session_speakers_changed = Signal()
session_deleted = Signal()
session_restored = Signal()
speaker_created = Signal()
speaker_updated = Signal()
speaker_deleted = Signal()
speaker_restored = Signal()
