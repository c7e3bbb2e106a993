"""Per-action policy: a viewset states, for each action, the permission class that guards it."""
from rest_framework_json_api.utils import undo_format_link_segment

from .permissions import Nobody


class PolicyMixin:
    """``policy``: action name -> permission class (``list``, ``retrieve``, ``create``,
    ``partial_update``, ``destroy``; ``relationships`` for writes to relationship routes). An
    action with no entry is refused (``Nobody``).

    ``related_policy``: relation name -> a permission class that guards the reads of that
    relation's related and relationship routes on top of ``retrieve`` (an event's organizers are
    for its team). A list nested under a parent (``/v1/events/<id>/organizers``) is guarded by
    ``nested_list`` when the viewset has that entry and the parent's ``related_policy`` guards
    the relation (checked when the parent was loaded), by ``list`` otherwise."""

    policy = {}
    related_policy = {}

    def policy_action(self):
        """The policy entry that guards the current action: reads of related and relationship
        routes are guarded like a detail, ``update`` like ``partial_update``, OPTIONS like a list."""
        if self.action == "relationships":
            return "retrieve" if self.request.method in ("GET", "HEAD", "OPTIONS") else "relationships"
        if self.action == "retrieve_related":
            return "retrieve"
        if self.action == "update":
            return "partial_update"
        if self.action == "metadata":
            return "list"
        if self.action == "list" and "nested_list" in self.policy and self.parent_guards():
            return "nested_list"
        return self.action

    def parent_guards(self):
        """Is this a list nested under a parent whose ``related_policy`` guards it?"""
        parent = getattr(self, "parent_viewset", None)
        segment = getattr(self, "parent_segment", None)
        return parent is not None and segment is not None and undo_format_link_segment(segment) in parent.related_policy

    def get_permissions(self):
        if self.action is None:
            # A method this route does not map (PUT…): let DRF answer 405, not 403.
            return []
        action = self.policy_action()
        permissions = [self.policy.get(action, Nobody)()]
        if action == "retrieve" and "related_field" in self.kwargs:
            guard = self.related_policy.get(undo_format_link_segment(self.kwargs["related_field"]))
            if guard is not None:
                permissions.append(guard())
        return permissions
