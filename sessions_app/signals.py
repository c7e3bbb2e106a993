"""Signals the sessions app sends, after commit. Receivers take ``**kwargs``.

- ``session_created``: session, actor
- ``session_state_changed``: session, old_state, new_state, actor
- ``session_schedule_changed``: session, old (dict of starts_at, ends_at, microlocation_id), actor
- ``speaker_created``: speaker, actor
"""
from django.dispatch import Signal

session_created = Signal()
session_state_changed = Signal()
session_schedule_changed = Signal()
speaker_created = Signal()
