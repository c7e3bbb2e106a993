"""Template helpers of the organizer pages."""
from django import template

from events import services

register = template.Library()


@register.simple_tag(takes_context=True)
def pending_invite_count(context):
    """How many invites wait for the logged-in user's answer (0 for anonymous visitors)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return services.invites_for(user).count()
