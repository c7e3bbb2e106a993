"""Template helpers of the organizer pages."""
import html
import re

from django import template
from django.urls import reverse
from django.utils.html import strip_tags

from events import permissions as rules
from events import services
from events.models import CustomForm
from events.views import PART_PAGES

register = template.Library()

ELLIPSIS = "…"


@register.simple_tag(takes_context=True)
def pending_invite_count(context):
    """How many invites wait for the logged-in user's answer (0 for anonymous visitors)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return services.invites_for(user).count()


BLOCK_END = re.compile(r"<(?:br|/p|/li|/h[1-6]|/blockquote)\b[^>]*>", re.IGNORECASE)
WHITE_SPACE = re.compile(r"\s+")


@register.filter
def plain_text(value):
    """Sanitized HTML as plain text: tags dropped (a line break or the end of a paragraph, heading
    or list item leaves a space, so paragraphs do not run together), entities decoded, white space
    collapsed. (The template escapes the result again where it is shown.) Text without a tag or
    an entity skips the HTML passes (a schedule asks this of thousands of abstracts)."""
    value = value or ""
    if "<" in value or "&" in value:
        value = html.unescape(strip_tags(BLOCK_END.sub(" ", value)))
    return WHITE_SPACE.sub(" ", value).strip()


@register.filter
def excerpt(value, length=200):
    """``value`` as plain text of at most ``length`` characters, cut on a word boundary and ending
    with an ellipsis when it was cut (the ellipsis counts). A single word longer than that is cut
    inside the word."""
    text = plain_text(value)
    length = int(length)
    if len(text) <= length:
        return text
    room = length - len(ELLIPSIS)
    cut = text[: room + 1]  # one more: a space right after the limit means the word ends there
    head, space, _ = cut.rpartition(" ")
    kept = head if space else text[:room]
    return kept.rstrip(" ,;:.-–—") + ELLIPSIS


@register.filter
def is_cut(value, length=200):
    """Would ``excerpt`` cut ``value``?"""
    return len(plain_text(value)) > int(length)


def _program_links(event, user):
    yield "Dashboard", reverse("event-dashboard", args=[event.identifier])
    yield "Team", reverse("event-team", args=[event.identifier])
    if rules.is_coorganizer(user, event):
        yield "Settings", reverse("event-settings", args=[event.identifier])
    yield "Sessions", reverse("session-list", args=[event.identifier])
    yield "Speakers", reverse("speaker-list", args=[event.identifier])
    if rules.can_manage_schedule(user, event):
        yield "Schedule", reverse("scheduler", args=[event.identifier])
        yield "Releases", reverse("schedule-releases", args=[event.identifier])
    for page in PART_PAGES.values():
        yield page.plural, reverse("part-list", args=[event.identifier, page.slug])
    if rules.can_manage_program_part(user, event, CustomForm):
        yield "Forms", reverse("event-forms-home", args=[event.identifier])
    if rules.is_coorganizer(user, event):
        yield "Mail", reverse("mail-templates", args=[event.identifier])
    if rules.can_see_reviews(user, event):
        yield "Reviews", reverse("review-page", args=[event.identifier])
    if rules.can_export_event(user, event):
        yield "Import / export", reverse("event-export", args=[event.identifier])


@register.inclusion_tag("events/includes/program_nav.html", takes_context=True)
def program_nav(context, event):
    """The event's team pages as a navigation bar; the page the user is on is marked current."""
    request = context["request"]
    path = request.path
    dashboard = reverse("event-dashboard", args=[event.identifier])
    links = list(_program_links(event, request.user))
    # The longest link the path starts with is the current one: on /schedule/releases "Releases"
    # alone is marked, not "Schedule" as well.
    matches = [url for _, url in links if path == url or (url != dashboard and path.startswith(url))]
    current = max(matches, key=len, default=None)
    return {"links": [(label, url, url == current) for label, url in links], "event": event}
