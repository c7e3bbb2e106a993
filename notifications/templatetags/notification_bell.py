"""The bell in the page header: the unread count, rendered with the page (one query, none for
anonymous visitors), and how often ``static/js/notification-bell.js`` asks for it again."""
from django import template
from django.conf import settings

from .. import queries

register = template.Library()

@register.simple_tag(takes_context=True)
def unread_notification_count(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return queries.unread_count(user)


@register.simple_tag
def notification_poll_seconds():
    return settings.NOTIFICATION_POLL_SECONDS
