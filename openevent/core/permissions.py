"""The account-level rules every layer needs: who is logged in, who is an administrator, who may
change an account. They read only the user object, so the generic API plumbing and the users app
ask them without knowing any domain app; ``events.permissions`` re-exports them as part of the
one permission vocabulary."""
from .errors import NotAllowed


def is_authenticated(user):
    return bool(user and user.is_authenticated)


def is_admin(user):
    return is_authenticated(user) and (user.is_admin or user.is_super_admin)


def is_super_admin(user):
    return is_authenticated(user) and user.is_super_admin


def can_manage_user(actor, target):
    """Accounts are changed by their owner and by admins; a super admin's account only by
    themself or another super admin."""
    if not is_authenticated(actor):
        return False
    if actor.pk == target.pk or is_super_admin(actor):
        return True
    return is_admin(actor) and not target.is_super_admin


def check_permanent_delete(user, permanent):
    """Deleting for good is for administrators only (every service that deletes asks this)."""
    if permanent and not is_admin(user):
        raise NotAllowed("Only administrators may delete permanently.")
