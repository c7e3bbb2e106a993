"""The public schedule's session cards, built in Python: the schedule page shows thousands of
them, and a card rendered through template includes (or ``format_html`` per part) costs several
times as much. This is the one place a session card is written; every public page that lists
sessions uses these tags. Every value is escaped here (``html.escape``, quotes included)."""
from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


def _speaker(base, speaker):
    link = f'<a href="{base}speakers/{speaker.pk}/">{escape(speaker.name)}</a>'
    details = ", ".join(part for part in (speaker.position, speaker.organisation) if part)
    return f'{link} <span class="muted">({escape(details)})</span>' if details else link


def _meta(session, show_time):
    parts = []
    if show_time:
        parts.append(
            f'<span class="session-card__time"><time datetime="{session.start_iso}" data-local="time" '
            f'data-until="{session.end_iso}">{escape(session.time_label)}</time></span>'
        )
    if session.room:
        parts.append(f'<span class="session-card__room">{escape(session.room.name)}</span>')
    if session.track_shown:
        parts.append(f'<span class="track-tag">{escape(session.track_shown.name)}</span>')
    if session.type_shown:
        parts.append(f'<span class="muted">{escape(session.type_shown.name)}</span>')
    return "".join(parts)


@register.simple_tag
def session_card(session, base, show_time=False, compact=False):
    """A session's card: title, time, room, track, type, speakers, the cut abstract, .ics link."""
    base = escape(base)
    url = f"{base}sessions/{session.pk}/"
    title = escape(session.title)
    html = [
        f'<h3 class="session-card__title"><a href="{url}">{title}</a></h3>',
        f'<p class="session-card__meta">{_meta(session, show_time)}</p>',
    ]
    if session.speakers_shown:
        speakers = ", ".join(_speaker(base, speaker) for speaker in session.speakers_shown)
        html.append(f'<p class="session-card__speakers">{speakers}</p>')
    if not compact and session.excerpt:
        more = f' <a href="{url}" aria-label="More about {title}">more</a>' if session.is_cut else ""
        html.append(f'<p class="session-card__abstract">{escape(session.excerpt)}{more}</p>')
    ics = f"{base}sessions/{session.pk}.ics"
    html.append(f'<p class="session-card__actions"><a href="{ics}" download>Add to calendar</a></p>')
    return mark_safe("\n".join(html))  # noqa: S308 -- every value in it is escaped above


@register.simple_tag
def session_data(session):
    """The data attributes the live filters and search read from a session's element."""
    track = session.track_shown.pk if session.track_shown else ""
    room = session.room.pk if session.room else ""
    kind = session.type_shown.pk if session.type_shown else ""
    return mark_safe(  # noqa: S308 -- every value in it is escaped
        f'data-session data-day="{escape(session.day_iso)}" data-track="{track}" data-room="{room}" '
        f'data-type="{kind}" data-search="{escape(session.haystack)}"'
    )
