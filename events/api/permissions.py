"""DRF permission classes that ask the event vocabulary (``events.permissions``).

Object checks resolve the object's event through ``view.event_of(obj)``; at the collection level a
nested URL's event (``/v1/events/<id>/…``) is checked when there is one. Classes combine with
DRF's ``|`` and ``&``.
"""
from rest_framework.permissions import BasePermission

from events import permissions as rules


class _EventRule(BasePermission):
    """Passes when the requesting user satisfies ``rule`` at the object's event.

    At the collection level it checks the event of a nested URL (``/v1/events/<id>/…``) when
    there is one; creations without one are checked on the event of the submitted data.
    """

    rule = staticmethod(rules.is_coorganizer)

    def has_permission(self, request, view):
        if not rules.is_authenticated(request.user):
            return False
        event = view.get_parent_event() if hasattr(view, "get_parent_event") else None
        return event is None or self.rule(request.user, event)

    def has_object_permission(self, request, view, obj):
        return self.rule(request.user, view.event_of(obj))


def event_rule(rule):
    return type(f"EventRule_{rule.__name__}", (_EventRule,), {"rule": staticmethod(rule)})


EventOwner = event_rule(rules.is_owner)
EventOrganizer = event_rule(rules.is_organizer)
EventCoorganizer = event_rule(rules.is_coorganizer)
EventTrackOrganizer = event_rule(rules.is_track_organizer)
EventModerator = event_rule(rules.is_moderator)
EventRegistrar = event_rule(rules.is_registrar)
EventMember = event_rule(rules.has_any_role)
EventTeamReader = event_rule(rules.can_see_team)


class Invitee(BasePermission):
    """The object (an invite) is addressed to the requesting user's e-mail address."""

    def has_permission(self, request, view):
        return rules.is_authenticated(request.user)

    def has_object_permission(self, request, view, obj):
        return obj.email == request.user.email.lower()
