"""Writing an imported event: one builder turns checked records into rows of a NEW event.

Nothing in the file is trusted as an id, owner, identifier, state or flag (security lesson 17):

- the event is made by ``events.services.create_event`` for the importing user, who becomes its
  owner (roles and the default forms exist as for any new event); it gets a fresh identifier and
  starts as a draft with no published schedule, whatever the file says;
- every old id is only a key into this import's maps (old id -> new row) used to rebuild the
  links (session -> track / room / type, session <-> speakers); no old id is ever written;
- sessions keep their state when it is one of ours (draft, pending, accepted, ...; anything else
  becomes pending): the importer is the event's owner, who may set any state by hand, and the
  event is a draft, so nothing becomes public by importing; mail/lock flags, creators, speaker
  accounts and admin curation flags (``is_featured``, ``is_promoted``) are never taken over;
- HTML is sanitized (``openevent.core.html``), texts are cut to their column's length, URL fields
  keep only web addresses (media of the zip are stored through the upload checks instead).

Rows are inserted in batches (``bulk_create``); the caller's transaction makes the whole import
one unit: a refusal anywhere leaves no row (lesson 19).
"""
import json
from collections import defaultdict

from django.db import IntegrityError

from events.form_fields import built_in
from events.images import schedule_variants
from events.models import CustomForm, Event, EventCopyright, Microlocation, SessionType, SocialLink, Sponsor, Track
from events.services import create_event
from events.tasks import task_make_sponsor_logo
from openevent.core.errors import ServiceError
from openevent.core.text import LONG_TEXT_MAX_LENGTH
from openevent.core.zones import time_zone
from sessions_app.models import Session, Speaker

from .values import NUL, Place, normalized, ref_id
from .zipsafe import Refused

BATCH = 500
PROGRESS_EVERY = 100
NAME = 255
TITLE = 500
SHORT = 100
URL_FIELDS_EVENT = ("logo_url", "original_image_url", "thumbnail_image_url", "large_image_url", "icon_image_url")
SPEAKER_IMAGES = ("photo_url", "thumbnail_image_url", "small_image_url", "icon_image_url")
SPEAKER_LINKS = ("website", "twitter", "facebook", "github", "linkedin")
SESSION_MEDIA = {"slides_url": "slides", "video_url": "video", "audio_url": "audio", "signup_url": None}
MIN_YEAR, MAX_YEAR = 1900, 2100
STATES = set(Session.State.values)


class Builder:
    """Builds one event for ``user``; ``media(value, kind)`` turns a non-URL reference into a
    stored file's URL (or "" when it is missing), ``progress(text)`` shows how far it is."""

    def __init__(self, user, media=None, progress=None):
        self.user = user
        self.media = media or (lambda value, kind: "")
        self.progress = progress or (lambda text: None)
        self.event = None
        self.zone = None
        self.maps = defaultdict(dict)  # kind -> old id -> new pk
        self.nested = {}  # kind -> the top-level file was absent: create from nested objects
        self.links = set()  # (session pk, old speaker id, name the reference carries)
        self.speaker_rows = defaultdict(list)  # old speaker id -> [(pk, name)]
        self.speaker_names = defaultdict(set)  # name -> speaker pks
        self.reverse_links = []  # (old session id, speaker pk), from the speakers' side
        self.counts = defaultdict(int)

    # --- helpers ------------------------------------------------------------------------------
    def _link_or_media(self, place, key, kind):
        value = place.url(key)
        if value:
            return value
        raw = place.text(key, max_length=1000)
        if not raw or raw.startswith(("http://", "https://", "data:")):
            return ""
        return self.media(raw, kind) if kind else ""

    def _remember(self, kind, place, pk):
        if place.old_id is None:
            return
        old = str(place.old_id)
        if old in self.maps[kind]:
            raise Refused(f"{place}: the id {old} is used twice in {place.file}.")
        self.maps[kind][old] = pk

    def _bulk(self, model, rows):
        try:
            return model.objects.bulk_create(rows, batch_size=BATCH)
        except IntegrityError as error:
            raise Refused(f"The {model._meta.verbose_name_plural} could not be saved: {error}.") from None

    # --- the event ----------------------------------------------------------------------------
    def build_event(self, record):
        place = Place("event", None, record)
        zone_name = place.text("timezone", max_length=64) or "UTC"
        self.zone = time_zone(zone_name)
        if self.zone is None:
            place.fail("timezone", f"'{zone_name}' is not a known time zone")
        data = {
            "name": place.text("name", required=True),
            "starts_at": place.when(self.zone, "starts_at", "start_time", required=True),
            "ends_at": place.when(self.zone, "ends_at", "end_time", required=True),
            "timezone": zone_name,
            "description": place.text("description", max_length=LONG_TEXT_MAX_LENGTH),
            "location_name": place.text("location_name"),
            "searchable_location_name": place.text("searchable_location_name"),
            "latitude": place.number("latitude", minimum=-90, maximum=90),
            "longitude": place.number("longitude", minimum=-180, maximum=180),
            "external_event_url": place.url("external_event_url", "event_url"),
            "ticket_url": place.url("ticket_url"),
            "owner_name": place.text("owner_name", "organizer_name"),
            "owner_description": place.text(
                "owner_description", "organizer_description", max_length=LONG_TEXT_MAX_LENGTH
            ),
            "code_of_conduct": place.text("code_of_conduct", max_length=LONG_TEXT_MAX_LENGTH),
            "privacy": Event.Privacy.PRIVATE if place.text("privacy") == "private" else Event.Privacy.PUBLIC,
            "online": record.get("online") is True or record.get("is_online") is True,
            "is_sessions_speakers_enabled": record.get("is_sessions_speakers_enabled") is not False,
            "is_sponsors_enabled": record.get("is_sponsors_enabled") is True,
            "is_map_shown": record.get("is_map_shown") is True,
        }
        data["has_owner_info"] = bool(data["owner_name"] or data["owner_description"])
        if data["ends_at"] <= data["starts_at"]:
            place.fail("ends_at", "is not after starts-at")
        for key in URL_FIELDS_EVENT:
            data[key] = self._link_or_media(place, key, "image")
        try:
            self.event = create_event(self.user, **data)  # a draft: state is never taken from the file
        except ServiceError as error:
            raise Refused(f"event: {error.message}") from None
        self.counts["events"] = 1
        self._copyright(record.get("event_copyright") or record.get("copyright"))
        return self.event

    def _copyright(self, value):
        if not isinstance(value, dict):
            return
        place = Place("event, event-copyright", None, normalized(value))
        licence = place.text("licence", "license")
        if not licence:
            return
        year = place.integer("year")
        EventCopyright.objects.create(
            event=self.event,
            licence=licence,
            holder=place.text("holder"),
            holder_url=place.url("holder_url"),
            licence_url=place.url("licence_url", "license_url"),
            logo_url=place.url("logo_url"),
            year=year if year is not None and MIN_YEAR <= year <= MAX_YEAR else None,
        )

    # --- the parts ----------------------------------------------------------------------------
    def social_links(self, places):
        rows = []
        seen = self.maps["social_link_pairs"]
        for place in places:
            link = place.url("link", "url")
            if not link:
                continue  # a link that is no web address cannot be shown
            # Exports hold the links twice (inside ``event`` and in ``social_links``): once each.
            if (place.text("name"), link) in seen:
                continue
            seen[(place.text("name"), link)] = True
            rows.append(SocialLink(event=self.event, name=place.text("name") or "Link", link=link,
                                   identifier=place.text("identifier")))
        self._bulk(SocialLink, rows)
        self.counts["social_links"] += len(rows)

    def microlocations(self, places):
        self._parts(places, "microlocations", Microlocation, self._microlocation)

    def _microlocation(self, place, position):
        return Microlocation(
            event=self.event, name=place.text("name", required=True), room=place.text("room"),
            floor=place.integer("floor", minimum=-1000, maximum=1000),
            latitude=place.number("latitude", minimum=-90, maximum=90),
            longitude=place.number("longitude", minimum=-180, maximum=180), position=position,
            hidden_in_scheduler=place.record.get("hidden_in_scheduler") is True,
        )

    def tracks(self, places):
        self._parts(places, "tracks", Track, self._track)

    def _track(self, place, position):
        return Track(
            event=self.event, name=place.text("name", required=True),
            description=place.html("description", max_length=LONG_TEXT_MAX_LENGTH),
            color=place.color("color", default="#1f6feb"), position=position,
        )

    def session_types(self, places):
        self._parts(places, "session_types", SessionType, self._session_type)

    def _session_type(self, place, position):
        return SessionType(event=self.event, name=place.text("name", required=True), length=place.length("length"),
                           position=position)

    def sponsors(self, places):
        for sponsor in self._parts(places, "sponsors", Sponsor, self._sponsor):
            # bulk_create bypasses the sponsor services: their logo variant is scheduled here, made
            # after the import's commit (a failed import schedules nothing); not ours, none is made.
            schedule_variants(task_make_sponsor_logo, sponsor.pk, sponsor.logo_url)

    def _sponsor(self, place, position):
        return Sponsor(
            event=self.event, name=place.text("name", required=True),
            description=place.html("description", max_length=LONG_TEXT_MAX_LENGTH), url=place.url("url"),
            level=place.integer("level", minimum=0, maximum=2**31 - 1), type=place.text("type"),
            logo_url=self._link_or_media(place, "logo_url", "image"),
        )

    def _parts(self, places, kind, model, make):
        self.nested[kind] = False
        pending = []
        for position, place in enumerate(places):
            pending.append((place, make(place, position)))
        saved = self._bulk(model, [row for _, row in pending])
        for (place, _), row in zip(pending, saved, strict=True):
            self._remember(kind, place, row.pk)
        self.counts[kind] += len(saved)
        return saved

    def absent(self, kind):
        """The file of ``kind`` is not in the zip: its rows come from objects nested in sessions."""
        self.nested[kind] = True

    # --- speakers -----------------------------------------------------------------------------
    def speakers(self, places, total=None):
        self.nested["speakers"] = False
        batch = []
        for number, place in enumerate(places, start=1):
            batch.append((place, self._speaker(place)))
            if number % PROGRESS_EVERY == 0:
                self.progress(f"Importing speakers ({number}/{total or '?'})")
            if len(batch) >= BATCH:
                self._save_speakers(batch, total)
                batch = []
        self._save_speakers(batch, total)

    def _speaker(self, place):
        speaker = Speaker(
            event=self.event, name=place.text("name", required=True), email=place.email("email"),
            mobile=place.text("mobile", max_length=SHORT), organisation=place.text("organisation", "organization"),
            position=place.text("position"), country=place.text("country"), city=place.text("city"),
            gender=place.text("gender", max_length=SHORT), heard_from=place.text("heard_from"),
            address=place.text("address", max_length=LONG_TEXT_MAX_LENGTH),
            short_biography=place.html("short_biography", max_length=LONG_TEXT_MAX_LENGTH),
            long_biography=place.html("long_biography", max_length=LONG_TEXT_MAX_LENGTH),
            speaking_experience=place.html("speaking_experience", max_length=LONG_TEXT_MAX_LENGTH),
            sponsorship_required=place.text("sponsorship_required", max_length=LONG_TEXT_MAX_LENGTH),
        )
        speaker.complex_field_values = _answers(place)
        for key in SPEAKER_IMAGES:
            setattr(speaker, key, self._link_or_media(place, key, "image"))
        for key in SPEAKER_LINKS:
            setattr(speaker, key, place.url(key))
        return speaker

    def _save_speakers(self, batch, total):
        if not batch:
            return
        seen = self.maps["speaker_emails"]
        for place, speaker in batch:
            if speaker.email:
                if speaker.email in seen:
                    raise Refused(f"{place}: the e-mail address {speaker.email} is used by another speaker too.")
                seen[speaker.email] = place.old_id
        saved = self._bulk(Speaker, [speaker for _, speaker in batch])
        for (place, _), speaker in zip(batch, saved, strict=True):
            # Hand-made exports repeat a speaker id for two people (OSCON17): both are kept, and
            # a session's reference picks between them by the name it carries.
            if place.old_id is not None:
                self.speaker_rows[str(place.old_id)].append((speaker.pk, speaker.name))
            self.speaker_names[speaker.name].add(speaker.pk)
            listed = place.record.get("sessions") or []
            if not isinstance(listed, list):
                place.fail("sessions", "is not a list")
            for session in listed:
                old = ref_id(session)
                if old is None:
                    raise Refused(f"{place}: sessions holds something that is not a session or its id.")
                self.reverse_links.append((old, speaker.pk))
        self.counts["speakers"] += len(saved)
        self.progress(f"Importing speakers ({self.counts['speakers']}/{total or '?'})")

    # --- sessions -----------------------------------------------------------------------------
    def sessions(self, places, total=None):
        batch = []
        for number, place in enumerate(places, start=1):
            batch.append(self._session(place))
            if number % PROGRESS_EVERY == 0:
                self.progress(f"Importing sessions ({number}/{total or '?'})")
            if len(batch) >= BATCH:
                self._save_sessions(batch, total)
                batch = []
        self._save_sessions(batch, total)
        self._link_speakers()

    def _relation(self, place, kind, keys, make_nested):
        key, value = place.first(*keys)
        old = ref_id(value)
        if value is not None and old is None:
            place.fail(key, "is not a reference (an id or an object with an id)")
        if old is None:
            return None
        if old in self.maps[kind]:
            return self.maps[kind][old]
        if isinstance(value, dict) and self.nested.get(kind, True):
            nested = Place(f"{place}, {key.replace('_', '-')}", None, normalized(value))
            row = make_nested(nested, len(self.maps[kind]))
            row.save()
            self.maps[kind][old] = row.pk
            self.counts[kind] += 1
            return row.pk
        place.fail(key, f"names {kind.replace('_', ' ')} id {old}, which is not in the file")
        return None

    def _session(self, place):
        state = place.text("state", max_length=20).lower()
        starts_at = place.when(self.zone, "starts_at", "start_time")
        ends_at = place.when(self.zone, "ends_at", "end_time")
        if starts_at and ends_at and ends_at <= starts_at:
            place.fail("ends_at", "is not after starts-at")
        session = Session(
            event=self.event, title=place.text("title", max_length=TITLE) or "Untitled",
            subtitle=place.text("subtitle", max_length=TITLE),
            short_abstract=place.html("short_abstract", max_length=LONG_TEXT_MAX_LENGTH),
            long_abstract=place.html("long_abstract", max_length=LONG_TEXT_MAX_LENGTH),
            comments=place.html("comments", max_length=LONG_TEXT_MAX_LENGTH),
            language=place.text("language", max_length=SHORT), level=place.text("level", max_length=SHORT),
            starts_at=starts_at, ends_at=ends_at,
            state=state if state in STATES else Session.State.PENDING,
            track_id=self._relation(place, "tracks", ("track", "track_id"), self._track),
            microlocation_id=self._relation(
                place, "microlocations", ("microlocation", "microlocation_id"), self._microlocation
            ),
            session_type_id=self._relation(
                place, "session_types", ("session_type", "session_type_id"), self._session_type
            ),
        )
        session.complex_field_values = _answers(place)
        for key, kind in SESSION_MEDIA.items():
            setattr(session, key, self._link_or_media(place, key, kind))
        for key in SPEAKER_LINKS:
            setattr(session, key, place.url(key))
        key = "speakers" if place.record.get("speakers") else "speaker_ids"
        listed = place.record.get(key) or []
        if not isinstance(listed, list):
            place.fail(key, "is not a list")
        speakers = [self._session_speaker(place, value) for value in listed]
        return place, session, speakers

    def _session_speaker(self, place, value):
        old = ref_id(value)
        if old is None:
            place.fail("speakers", "holds something that is not a speaker or its id")
        name = str(value.get("name") or "").strip()[:NAME] if isinstance(value, dict) else ""
        if old not in self.speaker_rows:
            if not (isinstance(value, dict) and self.nested.get("speakers", True)):
                place.fail("speakers", f"names speaker id {old}, which is not in the file")
            nested = Place(f"{place}, speakers", None, normalized(value))
            self._save_speakers([(nested, self._speaker(nested))], None)
        return old, name

    def _speaker_pk(self, old, name):
        """The speaker a session's reference means: the row of that id, or of that id and the
        name the reference carries, or else the one speaker of that name (an export whose ids
        and names disagree names the person right more often than the number)."""
        rows = self.speaker_rows[old]
        if name:
            same = [pk for pk, row_name in rows if row_name == name]
            if len(same) == 1:
                return same[0]
            named = self.speaker_names.get(name, ())
            if len(named) == 1:
                return next(iter(named))
        return rows[0][0]

    def _save_sessions(self, batch, total):
        if not batch:
            return
        saved = self._bulk(Session, [session for _, session, _ in batch])
        for (place, _, speakers), session in zip(batch, saved, strict=True):
            self._remember("sessions", place, session.pk)
            self.links.update((session.pk, old, name) for old, name in speakers)
        self.counts["sessions"] += len(saved)
        self.progress(f"Importing sessions ({self.counts['sessions']}/{total or '?'})")

    def _link_speakers(self):
        sessions = self.maps["sessions"]
        pairs = {(session_pk, self._speaker_pk(old, name)) for session_pk, old, name in self.links}
        for old_session, speaker_pk in self.reverse_links:
            if old_session not in sessions:
                raise Refused(f"speakers: a speaker names session id {old_session}, which is not in the file.")
            pairs.add((sessions[old_session], speaker_pk))
        through = Speaker.sessions.through
        self._bulk(through, [through(session_id=s, speaker_id=p) for s, p in sorted(pairs)])
        self.counts["session_speakers"] = len(pairs)
        self.links, self.reverse_links = set(), []

    # --- forms --------------------------------------------------------------------------------
    def forms(self, places):
        """Merge the file's form settings into the event's default form rows: a built-in field's
        included/required switches are taken (never for fixed fields); a custom field of a known
        type is added. Old exports hold ``session_form``/``speaker_form`` JSON objects instead."""
        existing = {(row.form, row.field_identifier): row for row in CustomForm.objects.filter(event=self.event)}
        changed, added = {}, []
        for place in places:
            for form, identifier, included, required, custom in _form_settings(place):
                row = existing.get((form, identifier))
                if row is None and custom is not None and identifier:
                    row = CustomForm(event=self.event, form=form, field_identifier=identifier, is_complex=True,
                                     position=len(existing), **custom)
                    existing[(form, identifier)] = row
                    added.append(row)
                if row is None or row.is_fixed:
                    continue
                row.is_included = bool(included) or bool(required)
                row.is_required = bool(required)
                changed[row.pk or id(row)] = row
        self._bulk(CustomForm, added)
        CustomForm.objects.bulk_update([row for row in changed.values() if row.pk and row not in added],
                                       ["is_included", "is_required"])
        self.counts["form_fields"] = len(changed)


ANSWER_KEY_LENGTH = 100
MAX_ANSWERS = 100


def _plain(value, length):
    """``value`` as a text of at most ``length`` characters, without NUL (PostgreSQL refuses it)."""
    return str(value).replace(NUL, "")[:length]


def _answer(value):
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    if isinstance(value, list):
        plain = (item for item in value[:MAX_ANSWERS] if isinstance(item, (str, int, float)))
        return [_plain(item, LONG_TEXT_MAX_LENGTH) for item in plain]
    return _plain(value, LONG_TEXT_MAX_LENGTH) if isinstance(value, str) else None


def _answers(place):
    """Answers to custom form fields (``complex_field_values``): plain values only."""
    key, value = place.first("complex_field_values")
    if value is None:
        return {}
    if not isinstance(value, dict):
        place.fail(key, "is not an object")
    return {_plain(name, ANSWER_KEY_LENGTH): _answer(item) for name, item in list(value.items())[:MAX_ANSWERS]}


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


FORM_NAMES = {"session_form": CustomForm.Form.SESSION, "speaker_form": CustomForm.Form.SPEAKER}


def _form_settings(place):
    """(form, identifier, included, required, custom field data or None) of one forms record."""
    record = place.record
    for key, form in FORM_NAMES.items():
        if key not in record:
            continue
        value = record[key]
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except (ValueError, RecursionError):
                place.fail(key, "is not valid JSON")
        if not isinstance(value, dict):
            place.fail(key, "is not an object")
        for name, switches in value.items():
            if isinstance(switches, dict):
                yield form, _camel(str(name)), switches.get("include"), switches.get("require"), None
    if "field_identifier" in record:
        form = place.text("form", max_length=10)
        if form not in CustomForm.Form.values:
            place.fail("form", "is not session, speaker or attendee")
        identifier = place.text("field_identifier", max_length=100)
        custom = None
        if record.get("is_complex") is True and built_in(form, identifier) is None:
            kind = place.text("type", max_length=20)
            custom = {
                "name": place.text("name") or identifier,
                "type": kind if kind in CustomForm.Type.values else CustomForm.Type.TEXT,
                "description": place.text("description", max_length=2000),
            }
        yield form, identifier, record.get("is_included") is True, record.get("is_required") is True, custom
