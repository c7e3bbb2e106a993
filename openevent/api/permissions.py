"""Generic DRF permission classes; the ones that ask about events are ``events.api.permissions``.

A viewset states its policy per action (``policy = {"list": Anyone, "create": ...}``) and
``PolicyMixin`` turns the entry for the current action into the permission check; an action with
no entry is refused. Classes combine with DRF's ``|`` and ``&``.
"""
from rest_framework.permissions import BasePermission

from openevent.core import permissions as rules


class Anyone(BasePermission):
    def has_permission(self, request, view):
        return True


class Authenticated(BasePermission):
    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)


class Admin(BasePermission):
    def has_permission(self, request, view):
        return rules.is_admin(request.user)


class SuperAdmin(BasePermission):
    def has_permission(self, request, view):
        return rules.is_super_admin(request.user)


class Nobody(BasePermission):
    def has_permission(self, request, view):
        return False


class ManagesUser(BasePermission):
    """The object is a user account the requesting user may change (``can_manage_user``)."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return rules.can_manage_user(request.user, obj)


class SelfOrAdmin(BasePermission):
    """The object is the requesting user's own account, or the requesting user is an admin."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return rules.is_admin(request.user) or obj.pk == request.user.pk


class OwnsRow(BasePermission):
    """The object belongs to the requesting user (its ``user_id`` is theirs)."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return obj.user_id == request.user.pk
