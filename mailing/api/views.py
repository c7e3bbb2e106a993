"""``/v1/mails``: the mail log, for administrators only (it holds every recipient's address)."""

from openevent.api.permissions import Admin
from openevent.api.views import ResourceViewSet

from ..models import Mail
from .serializers import MailSerializer


class MailViewSet(ResourceViewSet):
    queryset = Mail.objects.all()
    serializer_class = MailSerializer
    # A log: written by the sending path, never through the API (other actions: Nobody, 403).
    policy = {"list": Admin, "retrieve": Admin}
    related_resources = {"user": ("user", None), "event": ("event", None)}
    filterset_fields = {
        "recipient": ("exact", "icontains"),
        "action": ("exact", "in"),
        "status": ("exact", "in"),
        "time": ("lt", "lte", "gt", "gte"),
    }

    def optimize(self, queryset):
        return queryset.select_related("user", "event")
