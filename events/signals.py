"""Signals the events app sends. Receivers take ``**kwargs`` and read only what they need.

Every signal is sent after the surrounding transaction commits (``openevent.core.signals.send_after_commit``), so a
receiver never sees data that is later rolled back; the ``in_transaction`` twin of each reaches
receivers inside the transaction, so what they write (mail, notifications) commits with the cause.
"""
from openevent.core.signals import DomainSignal

# event, actor: the Event that was just published, and who published it.
event_published = DomainSignal()
# event: the Event whose schedule was just published (schedule_published_on is set).
schedule_published = DomainSignal()
# event, actor: the Event whose fields were just changed (sent for every change, publishing too).
event_updated = DomainSignal()
# event, actor, permanent: the Event moved to the trash (or, permanent, deleted for good).
event_deleted = DomainSignal()
# event, actor: the Event taken out of the trash.
event_restored = DomainSignal()
# invite: the RoleInvite; token: the secret for the e-mailed link (never stored in clear).
role_invite_created = DomainSignal()
# invite, user: the invite that was accepted and the user who now holds the role.
role_invite_accepted = DomainSignal()
# invite, user: the invite that was declined.
role_invite_declined = DomainSignal()
# part, actor: a part of an event's program (Track, SessionType, Microlocation, Sponsor,
# SocialLink, SpeakersCall; the sender is its model) was created, changed or restored.
part_created = DomainSignal()
part_updated = DomainSignal()
part_restored = DomainSignal()
# part, actor, permanent: a part moved to the trash (or, permanent, deleted for good).
part_deleted = DomainSignal()
# event, form, actor: a whole form ("session", "speaker") of the event was saved at once (a single
# field's changes send the part_* signals with CustomForm as sender).
form_saved = DomainSignal()
