"""Signals the users app sends, after commit. Receivers take ``**kwargs``.

- ``user_updated``: user, actor (profile fields changed through ``services.update_user``)
- ``user_deleted``: user (the account moved to the trash through ``services.delete_user``)
- ``user_restored``: user (the account taken out of the trash through ``services.restore_user``)

The sender is the User model.
"""
from django.dispatch import Signal

user_updated = Signal()
user_deleted = Signal()
user_restored = Signal()
