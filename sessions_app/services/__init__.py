"""Domain functions for sessions and speakers: proposing, editing, scheduling, the state machine,
who speaks in which session.

The one place these objects are written; the API and the pages call these functions. Every function
decides who may do what through the vocabulary in ``events.permissions`` and refuses with the
errors of ``openevent.core.errors`` (each naming the offending field where there is one), inside one
transaction, so a refusal leaves nothing behind. Signals go out after commit.
"""
from .common import call_for_papers_refusal, check_call_for_papers
from .conflicts import BLOCKING_STATES, ScheduleConflict, event_conflicts, session_conflicts
from .proposals import (
    MAX_CO_SPEAKERS,
    confirm,
    invite_co_speaker,
    own_speaker,
    submit_proposal,
    update_proposal,
    withdraw,
)
from .reviews import REVIEWABLE_STATES, delete_review, update_review, write_review
from .sessions import (
    ADD,
    ORGANIZER_ONLY_SESSION_FIELDS,
    PROPOSAL_STATES,
    REMOVE,
    REPLACE,
    SCHEDULE_FIELDS,
    StateChanges,
    change_state,
    change_states,
    check_room_free,
    check_schedule,
    check_unchanged_since,
    create_session,
    delete_session,
    propose,
    restore_session,
    set_session_speakers,
    update_session,
)
from .speakers import (
    claim_speaker_rows,
    create_speaker,
    delete_speaker,
    follow_account_email,
    restore_speaker,
    set_speaker_sessions,
    update_speaker,
)

__all__ = [
    "ADD",
    "BLOCKING_STATES",
    "MAX_CO_SPEAKERS",
    "ORGANIZER_ONLY_SESSION_FIELDS",
    "PROPOSAL_STATES",
    "REMOVE",
    "REPLACE",
    "REVIEWABLE_STATES",
    "SCHEDULE_FIELDS",
    "ScheduleConflict",
    "StateChanges",
    "# proposals through the call for papers",
    "call_for_papers_refusal",
    "change_state",
    "change_states",
    "check_call_for_papers",
    "check_room_free",
    "check_schedule",
    "check_unchanged_since",
    "claim_speaker_rows",
    "confirm",
    "create_session",
    "create_speaker",
    "delete_review",
    "delete_session",
    "delete_speaker",
    "event_conflicts",
    "follow_account_email",
    "invite_co_speaker",
    "own_speaker",
    "propose",
    "restore_session",
    "restore_speaker",
    "session_conflicts",
    "set_session_speakers",
    "set_speaker_sessions",
    "submit_proposal",
    "update_proposal",
    "update_review",
    "update_session",
    "update_speaker",
    "withdraw",
    "write_review",
]  # fmt: skip
