"""The session state machine: one table for organizers, one for speakers.

``change_state`` in services.py is the only place a session's state changes; it asks these tables.
"""
from .models import Session

S = Session.State

ORGANIZER_TRANSITIONS = {
    S.DRAFT: {S.PENDING, S.ACCEPTED, S.CONFIRMED, S.REJECTED},
    S.PENDING: {S.ACCEPTED, S.CONFIRMED, S.REJECTED, S.CANCELED},
    S.ACCEPTED: {S.PENDING, S.CONFIRMED, S.REJECTED, S.CANCELED},
    S.CONFIRMED: {S.ACCEPTED, S.REJECTED, S.CANCELED},
    S.REJECTED: {S.PENDING, S.ACCEPTED},
    S.WITHDRAWN: {S.PENDING},
    S.CANCELED: {S.PENDING, S.ACCEPTED},
}

# A speaker submits a draft, withdraws, and confirms an accepted session; never accepts or rejects.
SPEAKER_TRANSITIONS = {
    S.DRAFT: {S.PENDING, S.WITHDRAWN},
    S.PENDING: {S.WITHDRAWN},
    S.ACCEPTED: {S.CONFIRMED, S.WITHDRAWN},
    S.CONFIRMED: {S.WITHDRAWN},
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
    S.CANCELED: set(),
}

ORGANIZER = "organizer"
SPEAKER = "speaker"
TABLES = {ORGANIZER: ORGANIZER_TRANSITIONS, SPEAKER: SPEAKER_TRANSITIONS}


def allowed(table, current, wanted):
    return wanted in TABLES[table].get(current, set())


def as_json():
    """Both tables for ``GET /v1/sessions/states``: {table: {state: {state: true}}}."""
    return {
        name: {str(state): {str(target): True for target in sorted(targets)} for state, targets in table.items()}
        for name, table in TABLES.items()
    }
