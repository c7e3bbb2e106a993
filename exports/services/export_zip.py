"""The Open Event zip of an event, in the "api_v2" shape of Open Event's exports.

Layout (JSON files without extension, as Open Event writes and reads them): ``event``, ``forms``,
``microlocations``, ``sessions``, ``speakers``, ``sponsors``, ``tracks``, ``session_types``,
``social_links``, ``meta``; media under ``images/`` (the event's logo and background),
``images/speakers/``, ``images/sponsors/``, ``slides/``, ``videos/``, ``audios/`` when the export
asks for that kind (``image``, ``document``, ``video``, ``audio``).

Keys are dashed; sessions hold ``track``, ``microlocation`` and ``session-type`` objects (null when
unset, as open-event-webapp tests them) and a ``speakers`` list of ``{"id", "name"}``; speakers and
tracks hold ``sessions`` lists of ``{"id", "title"}``; the event holds ``social-links`` and
``event-copyright``. A media URL of a file in our storage (``open_upload`` finds it) is copied into
the zip and rewritten to its path there, written as Open Event writes them (``/images/speakers/
AdaLovelace_3.jpg``: from the zip's root; open-event-webapp strips the slash); any other URL
stays as it is.

Private data: the export is for the event's co-organizers and up, who see all of it in the
system: speakers' e-mail addresses, phone numbers and the answers to custom form fields
(``complex-field-values``) are included, as Open Event's exports include e-mail and mobile (and
an import needs them). Left out: user accounts (speaker and session owners, creators), reviews,
the event's payment details (bank, cheque, PayPal address, Stripe) and the speakers call's
private link.

The zip is written entry by entry to a file (``write_event_zip``): JSON lists are written one
item at a time and media are copied as streams, so memory stays flat whatever the event's size.
Queries are constant in the number of rows (a few per file, sessions and speakers in chunks).
"""
import io
import json
import re
import shutil
import zipfile
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Prefetch
from django.utils.timezone import now

from events.models import CustomForm, Microlocation, SessionType, SocialLink, Sponsor, Track
from openevent.uploads.services import open_upload
from openevent.users.services import site_url
from sessions_app.models import Session, Speaker

#: The version of this layout, in ``meta`` (bumped when a key changes meaning).
FORMAT_VERSION = "2"
#: Rows fetched (with their prefetches) per query when streaming the sessions and speakers.
CHUNK = 1000
#: Progress is reported every this many rows (and at the end of each file).
PROGRESS_EVERY = 50
#: Media a flag covers: (flag, the zip's folder).
SESSION_MEDIA = {
    "slides_url": ("document", "slides"),
    "video_url": ("video", "videos"),
    "audio_url": ("audio", "audios"),
}


def _zone(event):
    try:
        return ZoneInfo(event.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class _Writer:
    """One zip being written: JSON entries and the media copied into it."""

    def __init__(self, archive, event, options, progress):
        self.archive = archive
        self.zone = _zone(event)
        self.options = options or {}
        self.progress = progress
        self.copied = {}  # storage name -> path in the zip (a file used twice is copied once)
        self.pending = []  # (url, path in the zip) to copy once the current entry is closed
        self.missing = []

    def moment(self, value):
        return value.astimezone(self.zone).isoformat() if value else None

    def media(self, url, flag, folder, stem):
        """``url`` rewritten to the zip's copy of our file when ``flag`` is asked for, else as it
        is. The copy is written once the JSON entry being written is closed (a zip takes one
        entry at a time): ``flush_media``."""
        if not url or not self.options.get(flag):
            return url
        found = open_upload(url)
        if found is None:
            return url  # not a file of ours (an external URL, a missing file): left as it is
        fileobj, _content_type, name = found
        fileobj.close()
        if name not in self.copied:
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
            self.copied[name] = f"{folder}/{stem}.{extension}"
            self.pending.append((url, self.copied[name]))
        return "/" + self.copied[name]

    def flush_media(self):
        """Copy the files ``media`` rewrote into the zip, streamed."""
        for url, path in self.pending:
            found = open_upload(url)
            if found is None:  # gone since: the JSON names a file the zip lacks, said in meta
                self.missing.append(path)
                continue
            with found[0] as source, self.archive.open(path, "w") as target:
                shutil.copyfileobj(source, target)
        self.pending.clear()

    def write_json(self, name, data):
        self.archive.writestr(name, json.dumps(data, indent=2, ensure_ascii=False))
        self.flush_media()

    def write_list(self, name, rows, total, to_json, label=None):
        """Write ``rows`` as a JSON list, one item at a time, reporting progress."""
        label = label or name.replace("_", " ")
        with self.archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
            out.write("[")
            done = 0
            for row in rows:
                out.write(",\n" if done else "\n")
                out.write(json.dumps(to_json(row), ensure_ascii=False))
                done += 1
                if done % PROGRESS_EVERY == 0:
                    self.progress(f"Exporting {label} ({done}/{total})")
            out.write("\n]\n" if done else "]\n")
        self.progress(f"Exporting {label} ({done}/{total})")
        if self.pending:
            self.progress(f"Copying the media of {label}")
        self.flush_media()


def file_stem(name, pk):
    """``AdaLovelace_3``: Open Event's media names, letters and digits only (never a path)."""
    words = re.findall(r"[A-Za-z0-9]+", name or "")
    return "".join(word[:1].upper() + word[1:] for word in words)[:60] + f"_{pk}"


#: The image variants (made from the original image) of an event and of a speaker.
EVENT_VARIANTS = ("thumbnail", "large", "icon")
SPEAKER_VARIANTS = ("thumbnail", "small", "icon")


def _variants(writer, row, variants, folder, stem):
    """The ``<variant>-image-url`` fields of ``row``: files of ours are copied beside the original
    as ``<stem>-<variant>.<ext>`` (so the zip shows offline and a round trip keeps them), other
    URLs stay."""
    return {
        f"{variant}-image-url": writer.media(getattr(row, f"{variant}_image_url"), "image", folder, f"{stem}-{variant}")
        for variant in variants
    }


def _event_json(writer, event, links):
    copyright_row = event.copyrights.all().first()
    return {
        "id": event.pk,
        "identifier": event.identifier,
        "name": event.name,
        "starts-at": writer.moment(event.starts_at),
        "ends-at": writer.moment(event.ends_at),
        "timezone": event.timezone,
        "description": event.description,
        "location-name": event.location_name,
        "searchable-location-name": event.searchable_location_name,
        "latitude": event.latitude,
        "longitude": event.longitude,
        "online": event.online,
        "external-event-url": event.external_event_url,
        "logo-url": writer.media(event.logo_url, "image", "images", "logo"),
        "original-image-url": writer.media(event.original_image_url, "image", "images", "background"),
        **_variants(writer, event, EVENT_VARIANTS, "images", "background"),
        "organizer-name": event.owner_name,
        "organizer-description": event.owner_description,
        "has-owner-info": event.has_owner_info,
        "code-of-conduct": event.code_of_conduct,
        "privacy": event.privacy,
        "state": event.state,
        "ticket-url": event.ticket_url,
        "schedule-published-on": writer.moment(event.schedule_published_on),
        "is-sessions-speakers-enabled": event.is_sessions_speakers_enabled,
        "is-sponsors-enabled": event.is_sponsors_enabled,
        "is-map-shown": event.is_map_shown,
        "created-at": writer.moment(event.created_at),
        "social-links": links,
        "event-copyright": _copyright_json(copyright_row),
    }


def _copyright_json(row):
    if row is None:
        return None
    return {
        "id": row.pk,
        "holder": row.holder,
        "holder-url": row.holder_url,
        "licence": row.licence,
        "licence-url": row.licence_url,
        "year": row.year,
        "logo-url": row.logo_url,
    }


def _social_link_json(link):
    return {"id": link.pk, "name": link.name, "link": link.link, "identifier": link.identifier}


def _microlocation_json(room):
    return {
        "id": room.pk,
        "name": room.name,
        "room": room.room,
        "floor": room.floor,
        "latitude": room.latitude,
        "longitude": room.longitude,
        "position": room.position,
        "hidden-in-scheduler": room.hidden_in_scheduler,
    }


def _track_json(track):
    return {
        "id": track.pk,
        "name": track.name,
        "description": track.description,
        "color": track.color,
        "font-color": track.font_color,
        "position": track.position,
        "sessions": [{"id": session.pk, "title": session.title} for session in track.sessions.all()],
    }


def _session_type_json(kind):
    return {"id": kind.pk, "name": kind.name, "length": kind.length, "position": kind.position}


def _form_json(field):
    return {
        "id": field.pk,
        "form": field.form,
        "field-identifier": field.field_identifier,
        "name": field.name,
        "type": field.type,
        "description": field.description,
        "is-required": field.is_required,
        "is-included": field.is_included,
        "is-fixed": field.is_fixed,
        "is-public": field.is_public,
        "is-complex": field.is_complex,
        "position": field.position,
        "min": field.min,
        "max": field.max,
        "options": field.options,
    }


def _sponsor_json(writer, sponsor):
    return {
        "id": sponsor.pk,
        "name": sponsor.name,
        "description": sponsor.description,
        "url": sponsor.url,
        "level": sponsor.level,
        "type": sponsor.type,
        "logo-url": writer.media(sponsor.logo_url, "image", "images/sponsors", file_stem(sponsor.name, sponsor.pk)),
    }


def _nested_track(track):
    if track is None:
        return None
    return {"id": track.pk, "name": track.name, "color": track.color, "font-color": track.font_color}


def _session_json(writer, session):
    media = {
        field.replace("_", "-"): writer.media(getattr(session, field), flag, folder, f"session_{session.pk}")
        for field, (flag, folder) in SESSION_MEDIA.items()
    }
    room, kind = session.microlocation, session.session_type
    return {
        "id": session.pk,
        "title": session.title,
        "subtitle": session.subtitle,
        "short-abstract": session.short_abstract,
        "long-abstract": session.long_abstract,
        "comments": session.comments,
        "language": session.language,
        "level": session.level,
        "starts-at": writer.moment(session.starts_at),
        "ends-at": writer.moment(session.ends_at),
        "state": session.state,
        "signup-url": session.signup_url,
        **media,
        "website": session.website,
        "twitter": session.twitter,
        "facebook": session.facebook,
        "github": session.github,
        "linkedin": session.linkedin,
        "is-mail-sent": session.is_mail_sent,
        "is-locked": session.is_locked,
        "submitted-at": writer.moment(session.submitted_at),
        "created-at": writer.moment(session.created_at),
        "last-modified-at": writer.moment(session.last_modified_at),
        "complex-field-values": session.complex_field_values,
        "track": _nested_track(session.track),
        "microlocation": {"id": room.pk, "name": room.name} if room else None,
        "session-type": {"id": kind.pk, "name": kind.name, "length": kind.length} if kind else None,
        "speakers": [{"id": speaker.pk, "name": speaker.name} for speaker in session.speakers.all()],
    }


SPEAKER_TEXT_FIELDS = (
    "name", "email", "mobile", "short_biography",
    "long_biography", "speaking_experience", "organisation", "position", "country", "city", "address", "gender",
    "website", "twitter", "facebook", "github", "linkedin", "heard_from", "sponsorship_required", "is_featured",
    "order", "complex_field_values",
)


def _speaker_json(writer, speaker):
    data = {"id": speaker.pk}
    data.update({field.replace("_", "-"): getattr(speaker, field) for field in SPEAKER_TEXT_FIELDS})
    stem = file_stem(speaker.name, speaker.pk)
    data["photo-url"] = writer.media(speaker.photo_url, "image", "images/speakers", stem)
    data.update(_variants(writer, speaker, SPEAKER_VARIANTS, "images/speakers", stem))
    data["created-at"] = writer.moment(speaker.created_at)
    data["sessions"] = [{"id": session.pk, "title": session.title} for session in speaker.sessions.all()]
    return data


def _titles(*extra):
    """Live sessions with only their ids and titles (and ``extra`` fields the prefetch groups
    by), for the nested lists."""
    return Session.objects.only("id", "title", *extra).order_by("starts_at", "id")


def _sessions(event):
    return (
        Session.objects.filter(event=event)
        .select_related("track", "microlocation", "session_type")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.only("id", "name").order_by("order", "id")))
        .order_by("starts_at", "id")
    )


def _speakers(event):
    return (
        Speaker.objects.filter(event=event)
        .prefetch_related(Prefetch("sessions", queryset=_titles()))
        .order_by("order", "id")
    )


def _meta(event):
    return {
        "root_url": site_url(),
        "format": "open-event",
        "format-version": FORMAT_VERSION,
        "exported-at": now().isoformat(),
        "event-identifier": event.identifier,
    }


def write_event_zip(event, path, options, progress=lambda text: None):
    """Write the zip of ``event`` at ``path`` (a file of the job's own directory); ``options`` the
    media flags; ``progress(text)`` is told what is being written."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive, event, options, progress)
        progress("Exporting the event")
        links = [_social_link_json(link) for link in SocialLink.objects.filter(event=event).order_by("id")]
        writer.write_json("event", _event_json(writer, event, links))
        writer.write_json("social_links", links)
        forms = CustomForm.objects.filter(event=event).order_by("form", "position", "id")
        writer.write_json("forms", [_form_json(field) for field in forms])
        rooms = Microlocation.objects.filter(event=event).order_by("position", "id")
        writer.write_json("microlocations", [_microlocation_json(room) for room in rooms])
        tracks = Track.objects.filter(event=event).prefetch_related(Prefetch("sessions", queryset=_titles("track_id")))
        writer.write_json("tracks", [_track_json(track) for track in tracks.order_by("position", "id")])
        kinds = SessionType.objects.filter(event=event).order_by("position", "id")
        writer.write_json("session_types", [_session_type_json(kind) for kind in kinds])
        sponsors = Sponsor.objects.filter(event=event).order_by("level", "id")
        writer.write_list("sponsors", sponsors.iterator(chunk_size=CHUNK), sponsors.count(),
                          lambda sponsor: _sponsor_json(writer, sponsor))
        sessions = _sessions(event)
        writer.write_list("sessions", sessions.iterator(chunk_size=CHUNK), sessions.count(),
                          lambda session: _session_json(writer, session))
        speakers = _speakers(event)
        writer.write_list("speakers", speakers.iterator(chunk_size=CHUNK), speakers.count(),
                          lambda speaker: _speaker_json(writer, speaker))
        writer.write_json("meta", {**_meta(event), "missing-media": writer.missing})
