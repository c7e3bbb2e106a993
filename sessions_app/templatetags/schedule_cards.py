"""The public schedule's session cards, built in Python: the schedule page shows thousands of
them, and a card rendered through template includes costs several times as much. The markup is
the one place a session card is written; every public page that lists sessions uses these tags.
"""
from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _speaker(base, speaker):
    details = ", ".join(part for part in (speaker.position, speaker.organisation) if part)
    link = format_html('<a href="{}speakers/{}/">{}</a>', base, speaker.pk, speaker.name)
    return format_html('{} <span class="muted">({})</span>', link, details) if details else link


def _meta(session, show_time):
    parts = []
    if show_time:
        parts.append(format_html(
            '<span class="session-card__time"><time datetime="{}" data-local="time" data-until="{}">{}</time></span>',
            session.start_iso, session.end_iso, session.time_label,
        ))  # fmt: skip
    if session.room:
        parts.append(format_html('<span class="session-card__room">{}</span>', session.room.name))
    if session.track_shown:
        parts.append(format_html('<span class="track-tag">{}</span>', session.track_shown.name))
    if session.type_shown:
        parts.append(format_html('<span class="muted">{}</span>', session.type_shown.name))
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built with format_html


@register.simple_tag
def session_card(session, base, show_time=False, compact=False):
    """A session's card: title, time, room, track, type, speakers, the cut abstract, .ics link."""
    url = f"{base}sessions/{session.pk}/"
    html = [
        format_html('<h3 class="session-card__title"><a href="{}">{}</a></h3>', url, session.title),
        format_html('<p class="session-card__meta">{}</p>', _meta(session, show_time)),
    ]
    if session.speakers_shown:
        speakers = mark_safe(", ".join(_speaker(base, speaker) for speaker in session.speakers_shown))  # noqa: S308 -- format_html parts
        html.append(format_html('<p class="session-card__speakers">{}</p>', speakers))
    if not compact and session.excerpt:
        more = ""
        if session.is_cut:
            more = format_html(' <a href="{}" aria-label="More about {}">more</a>', url, session.title)
        html.append(format_html('<p class="session-card__abstract">{}{}</p>', session.excerpt, more))
    html.append(format_html(
        '<p class="session-card__actions"><a href="{}.ics" download>Add to calendar</a></p>', url.rstrip("/")
    ))  # fmt: skip
    return mark_safe("\n".join(html))  # noqa: S308 -- every part is built with format_html


@register.simple_tag
def session_data(session):
    """The data attributes the live filters and search read from a session's element."""
    values = (
        ("day", session.day_iso),
        ("track", session.track_shown.pk if session.track_shown else ""),
        ("room", session.room.pk if session.room else ""),
        ("type", session.type_shown.pk if session.type_shown else ""),
        ("search", session.haystack),
    )
    return format_html("data-session {}", format_html_join(" ", 'data-{}="{}"', values))

