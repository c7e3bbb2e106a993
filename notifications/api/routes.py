"""The user resource's lists of notifications and mail preferences
(``/v1/users/<id>/notifications``, ``/v1/users/<id>/email-notifications``): the user themselves
and administrators only."""
from openevent.api.permissions import SelfOrAdmin
from openevent.users.api.views import UserViewSet

RELATIONS = {"notifications": "notification", "email_notifications": "email-notification"}


def extend_user_resource():
    for name, basename in RELATIONS.items():
        if name not in UserViewSet.related_resources:
            UserViewSet.add_related(name, basename, "user_pk", policy=SelfOrAdmin)
