"""Django admin for the mail log: read-only, it records what was sent; a mail is sent again or
removed only through ``mailing.services`` (see ``openevent.core.admin.ServiceAdminMixin``)."""
from django.contrib import admin, messages

from openevent.core.admin import ServiceAdminMixin

from . import services
from .models import Mail


@admin.register(Mail)
class MailAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ("time", "recipient", "action", "subject", "status", "attempts", "sent_at", "event")
    list_filter = ("status", "action")
    search_fields = ("recipient", "subject", "action", "event__name", "event__identifier")
    list_select_related = ("event",)
    date_hierarchy = "time"
    # The sealed one-time links never reach a page.
    exclude = ("sealed_secrets",)
    actions = ["resend"]

    @admin.action(description="Send the selected mails again")
    def resend(self, request, queryset):
        resent, refused = services.resend_mails(list(queryset))
        if resent:
            self.message_user(request, f"{len(resent)} mail(s) queued to be sent again.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{len(refused)} mail(s) not sent again: still queued, or their one-time link was sent "
                "already (the recipient can ask for a new one).",
                messages.WARNING,
            )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_object(self, request, obj):
        services.delete_mail(obj)
