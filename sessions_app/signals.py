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
- ``co_speaker_invited``: session, speaker, actor, email (a proposal's owner named a co-speaker by
  address; ``services.proposals.invite_co_speaker``)
- ``schedule_released``: release (a ``ScheduleRelease``, its changelog computed), actor,
  send_email (False: mail nobody) (``services.schedule.release_schedule``)
- ``schedule_unpublished``: event, actor (``services.schedule.unpublish_schedule``)

The sender is the model class (``Session``, ``Speaker``, ``ScheduleRelease``; ``Event`` for
``schedule_unpublished``). Only ``sessions_app.services`` sends
them, each once per change, after the transaction commits (``openevent.core.signals.send_after_commit``); the
``in_transaction`` twin of each reaches receivers inside the transaction (mail, notifications).
"""
from openevent.core.signals import DomainSignal

session_created = DomainSignal()
session_updated = DomainSignal()
session_state_changed = DomainSignal()
session_schedule_changed = DomainSignal()
session_speakers_changed = DomainSignal()
session_deleted = DomainSignal()
session_restored = DomainSignal()
speaker_created = DomainSignal()
speaker_updated = DomainSignal()
speaker_deleted = DomainSignal()
speaker_restored = DomainSignal()

#: ``co_speaker_invited``: session, speaker (the invited row), actor (who invited), email.
co_speaker_invited = DomainSignal()

#: ``schedule_released``: release, actor, send_email. ``schedule_unpublished``: event, actor.
schedule_released = DomainSignal()
schedule_unpublished = DomainSignal()
