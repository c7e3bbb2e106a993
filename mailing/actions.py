"""The mails the platform sends, one ``MailAction`` per kind: what it is called, which values its
templates may use (the placeholders organizers see, with sample values for previews), and whether
organizers may rewrite it for their event.

Each action's templates are ``templates/mail/<key>.subject.txt``, ``<key>.txt`` and ``<key>.html``;
the last two extend the shared layout (``mail/layout.txt``, ``mail/layout.html``). Every template
also gets the values of ``COMMON``.
"""
from dataclasses import dataclass, field

from notifications.models import ACTIONS as SWITCHES

#: Placeholders every mail has.
COMMON = {
    "recipient": ("The address the mail goes to", "ada@example.org"),
    "app_name": ("The platform's name", "Open Event"),
    "site_link": ("The platform's address", "https://events.example.org"),
}
EVENT = {
    "event_name": ("The event's name", "FOSSASIA Summit 2027"),
    "event_link": ("The event's public page", "https://events.example.org/e/fossasia27/"),
}
ACCOUNT_CHANGE = {
    "changed_at": ("When it changed (UTC)", "2 December 2027, 07:10 UTC"),
    "reset_link": ("The page to ask for a password-reset link", "https://events.example.org/reset-password"),
}
SESSION = {
    **EVENT,
    "session_title": ("The session's title", "Open hardware for everyone"),
    "session_link": ("The session's page for its speakers", "https://events.example.org/my/sessions/42/"),
    "speaker_name": ("The recipient speaker's name", "Ada Lovelace"),
}


@dataclass(frozen=True)
class MailAction:
    key: str
    # The MessageSettings row whose mail switch turns it off (notifications.models.ACTIONS).
    switch: str
    placeholders: dict = field(default_factory=dict)
    # Placeholders whose values are secrets (one-time links): sent, never stored.
    secrets: tuple = ()
    # Organizers may override subject and body for their event (the "Mail templates" page).
    overridable: bool = False
    label: str = ""

    def __post_init__(self):
        if not self.label:
            object.__setattr__(self, "label", SWITCHES[self.switch])

    @property
    def all_placeholders(self):
        return {**COMMON, **self.placeholders}


def _actions(*actions):
    return {action.key: action for action in actions}


def _session_state(state, label):
    return MailAction(
        f"session_{state}", "session_state_change", SESSION, overridable=True, label=f"Session {label}"
    )


ACTIONS = _actions(
    MailAction(
        "user_registration",
        "user_registration",
        # No text a user chose (their name) reaches an address that is not verified yet.
        {"link": ("The verification link", "https://events.example.org/verify-email/…"),
         "days": ("How many days the link works", 3)},
        secrets=("link",),
    ),
    MailAction(
        "user_confirmation",
        "user_confirmation",
        # No text a user chose (their name) reaches an address that is not verified yet.
        {"link": ("The verification link", "https://events.example.org/verify-email/…"),
         "days": ("How many days the link works", 3)},
        secrets=("link",),
    ),
    # The account mails greet no one by name: an address may be unproven, and the name is text a
    # user chose (the addresses come after the link).
    MailAction(
        "user_change_email",
        "user_change_email",
        {"old_email": ("The former address", "ada@example.org"),
         "new_email": ("The new address", "ada@example.net"),
         "changed_at": ACCOUNT_CHANGE["changed_at"]},
    ),
    MailAction(
        "password_reset",
        "password_reset",
        {"link": ("The link to set a new password", "https://events.example.org/reset-password/…"),
         "hours": ("How many hours the link works", 24)},
        secrets=("link",),
    ),
    MailAction("password_change", "password_change", ACCOUNT_CHANGE),
    MailAction(
        "event_role",
        "event_role",
        {**EVENT, "role_name": ("The role offered", "Co-organizer"),
         "inviter_name": ("Who sent the invitation", "Grace Hopper"),
         "link": ("The link to accept or decline", "https://events.example.org/invites/…"),
         "expires": ("When the invitation expires", "9 December 2027")},
        secrets=("link",),
    ),
    MailAction(
        "event_role_accepted",
        "event_role_accepted",
        {**EVENT, "role_name": ("The role", "Co-organizer"),
         "member_name": ("Who accepted", "Ada Lovelace"),
         "team_link": ("The event's team page", "https://events.example.org/manage/fossasia27/team/")},
    ),
    MailAction(
        "new_session",
        "new_session",
        {**EVENT, "session_title": ("The proposal's title", "Open hardware for everyone"),
         "speaker_names": ("Its speakers", "Ada Lovelace"),
         "session_link": ("The proposal's page for organizers", "https://events.example.org/manage/…")},
    ),
    _session_state("pending", "submitted"),
    _session_state("accepted", "accepted"),
    _session_state("confirmed", "confirmed"),
    _session_state("rejected", "rejected"),
    _session_state("withdrawn", "withdrawn"),
    _session_state("canceled", "canceled"),
    # Not a state change, but a mail a speaker gets about a session: the same switch.
    MailAction(
        "co_speaker_invited",
        "session_state_change",
        {**EVENT, "session_title": ("The proposal's title", "Open hardware for everyone"),
         "inviter_name": ("Who named the recipient as co-speaker", "Grace Hopper"),
         "speaker_name": ("The name the inviter gave the recipient", "Ada Lovelace"),
         "proposals_link": ("The page “My proposals”", "https://events.example.org/proposals/"),
         "register_link": ("The page to register an account", "https://events.example.org/register")},
        label="Co-speaker invitation",
    ),
    MailAction(
        "schedule_released",
        "session_schedule_change",
        {**EVENT, "speaker_name": ("The recipient speaker's name", "Ada Lovelace"),
         "changes": ("The recipient's sessions that are new, moved or canceled in this release",
                     "New: “Open hardware for everyone”, Fri 12 March 2027, 10:00 to 10:45, Hall A"),
         "version": ("The release's version number", 2),
         "schedule_link": ("The event's public schedule", "https://events.example.org/e/fossasia27/schedule"),
         "time_zone": ("The event's time zone", "Asia/Singapore")},
        overridable=True,
        label="Schedule released",
    ),
    MailAction(
        "event_published",
        "event_published",
        {**EVENT, "manage_link": ("The event's dashboard", "https://events.example.org/manage/fossasia27/")},
    ),
    MailAction(
        "speakers_call_opened",
        "speakers_call_opened",
        {**EVENT, "call_link": ("The call for speakers", "https://events.example.org/e/fossasia27/cfs/"),
         "ends_at": ("When the call closes", "1 February 2027")},
    ),
    MailAction(
        "after_event",
        "after_event",
        {**EVENT, "manage_link": ("The event's dashboard", "https://events.example.org/manage/fossasia27/")},
    ),
    MailAction(
        "event_exported",
        "event_exported",
        {**EVENT, "download_link": ("Where to download the export", "https://events.example.org/…")},
    ),
    MailAction("event_export_fail", "event_export_fail", {**EVENT, "error": ("What went wrong", "…")}),
    MailAction(
        "event_imported",
        "event_imported",
        {**EVENT, "manage_link": ("The imported event's dashboard", "https://events.example.org/manage/fossasia27/")},
    ),
    MailAction("event_import_fail", "event_import_fail", {"error": ("What went wrong", "…")}),
    MailAction(
        "speaker_mail",
        "speaker_mail",
        {**EVENT, "speaker_name": ("The speaker's name", "Ada Lovelace"),
         "session_titles": ("The speaker's sessions at the event", "Open hardware for everyone")},
    ),
)  # fmt: skip


def get(key):
    return ACTIONS[key]
