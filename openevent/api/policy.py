"""Per-action policy: a viewset states, for each action, the permission class that guards it."""
from .permissions import Nobody


class PolicyMixin:
    """``policy``: action name -> permission class (``list``, ``retrieve``, ``create``,
    ``partial_update``, ``destroy``; ``relationships`` for writes to relationship routes). An
    action with no entry is refused (``Nobody``)."""

    policy = {}

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
        return self.action

    def get_permissions(self):
        if self.action is None:
            # A method this route does not map (PUT…): let DRF answer 405, not 403.
            return []
        return [self.policy.get(self.policy_action(), Nobody)()]
