"""Signals the users app sends, after commit (each with an ``in_transaction`` twin sent inside the
transaction, ``openevent.core.signals``). Receivers take ``**kwargs``.

- ``user_updated``: user, actor, changed (the names of the fields whose values changed) — profile
  fields changed through ``services.update_user``
- ``user_deleted``: user (the account moved to the trash through ``services.delete_user``)
- ``user_deleting``: user (sent inside the transaction, before ``services.delete_user`` deletes the
  account for good, so receivers can still read what the account is linked to; what they write
  commits or rolls back with the deletion)
- ``user_restored``: user (the account taken out of the trash through ``services.restore_user``)
- ``verification_mail_requested``: user, link (the secret verification link), days (how long it
  works), registration (True for the mail of a new account) — a mail to the user's current address
- ``password_reset_requested``: user, link (the secret link to the "Set a new password" page),
  hours (how long it works) — a mail to the user's address (anyone may ask for it; only the
  mailbox gets the link)
- ``password_changed``: user, changed_at (UTC), reset_link (the "Forgot password" page), reset
  (True when set through a reset link) — the password of an account with a verified address
  changed (``change_password``, ``reset_password``, an administrator's ``set_password``)
- ``email_changed``: user, actor, old_email, new_email, changed_at (UTC) — an account's verified
  address was replaced (by its owner or an administrator): a mail to the old address

The sender is the User model.
"""
from openevent.core.signals import DomainSignal

user_updated = DomainSignal()
user_deleted = DomainSignal()
user_restored = DomainSignal()
user_deleting = DomainSignal()
verification_mail_requested = DomainSignal()
password_reset_requested = DomainSignal()
password_changed = DomainSignal()
email_changed = DomainSignal()

#: Every signal after which an account reads differently where others show it (its public fields,
#: or nothing once it is deleted); ``user_deleting`` comes inside the transaction, while the
#: account's links still exist.
ACCOUNT_CHANGES = (user_updated, user_deleted, user_deleting, user_restored)
