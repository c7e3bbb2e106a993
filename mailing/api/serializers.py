from openevent.api.relations import to_one
from openevent.api.serializers import ModelSerializer

from ..models import Mail


class MailSerializer(ModelSerializer):
    """The mail log as Open Event serves it (recipient, time, action, subject, message) and how
    its delivery went. Bodies are stored redacted; the log is read-only."""

    user = to_one("mail", read_only=True)
    event = to_one("mail", read_only=True)

    class Meta:
        model = Mail
        resource_name = "mail"
        fields = [
            "recipient", "time", "action", "subject", "message", "html_message", "status", "attempts",
            "last_error", "sent_at", "user", "event",
        ]  # fmt: skip
        read_only_fields = fields
