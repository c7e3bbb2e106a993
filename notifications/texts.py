"""What a notification of each action says: its title, with the placeholders the receiver fills
in. ``/v1/message-settings`` shows these as each action's ``notification-message``."""

TITLES = {
    "event_role": "You are invited to be {role} of “{event}”",
    "event_role_accepted": "{user} accepted your invite to be {role} of “{event}”",
    "new_session": "New session proposal “{session}” for “{event}”",
    "session_state_change": "Your session “{session}” was {state}",
    "session_schedule_change": "Your session “{session}” was rescheduled",
    "event_published": "“{event}” is published",
    "event_exported": "The export of “{event}” is ready to download",
    "event_export_fail": "The export of “{event}” failed",
    "event_imported": "“{event}” is imported",
    "event_import_fail": "An import failed",
}

#: States a session is "accepted", "rejected"… in; others read "is now <state>".
DECISIONS = {"accepted", "confirmed", "rejected", "withdrawn", "canceled"}


def title(action, **values):
    return TITLES[action].format(**values)


def state_title(session_title, state, label):
    """“Your session “X” was accepted”, or “… is now pending” for states that are no decision."""
    if state in DECISIONS:
        return title("session_state_change", session=session_title, state=label.lower())
    return f"Your session “{session_title}” is now {label.lower()}"
