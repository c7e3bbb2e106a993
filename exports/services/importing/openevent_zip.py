"""Reading an Open Event export zip (``event``, ``sessions``, ... JSON files without extension).

The files are read in Open Event's import order: event, social_links, forms, microlocations,
sponsors, speakers, tracks, session_types, sessions. ``event`` is required; every other file may
be missing (real exports lack ``forms``, ``meta``, ``session_types``...), may be empty, and may be
named with a dash (``session-types``) or a ``.json`` ending. Lists are streamed item by item with
ijson (C backend), so a file of 10,000 sessions is never held in memory whole; one cheap first pass
counts the items for the progress text. Media referenced by relative paths (``/images/log.png``)
are read from the zip and stored through the upload checks; a missing one is skipped and counted.
"""
import io
import json

import ijson
from django.core.files.storage import default_storage

from openevent.core.errors import InsufficientStorage, ServiceError
from openevent.uploads.services import store_upload

from .builder import Builder
from .values import Place, normalized
from .zipsafe import Refused, SafeZip, limit

ITEM_STARTS = {"start_map", "start_array", "string", "number", "boolean", "null"}
LIST_FILES = ("social_links", "forms", "microlocations", "sponsors", "speakers", "tracks", "session_types", "sessions")
#: Files whose rows may come from objects nested in sessions when the file is missing.
NESTABLE = ("microlocations", "tracks", "session_types", "speakers")
MEDIA_MAX_SIZE = 100 * 1024 * 1024


class ZipMedia:
    """Media of the zip stored through the upload checks; remembers what it stored, so a failed
    import can delete it again."""

    def __init__(self, archive, user, counts):
        self.archive, self.user, self.counts = archive, user, counts
        self.stored = []

    def __call__(self, value, kind):
        name = value.split("?", 1)[0].lstrip("/")
        name = name.removeprefix("./")
        info = self.archive.members.get(name)
        if info is None:
            self.counts["media_missing"] += 1
            return ""
        data = self.archive.read(info, getattr_cap())
        try:
            stored = store_upload(io.BytesIO(data), kind=kind, user=self.user)
        except InsufficientStorage:  # no room for any medium: the import fails (saying so), none skipped
            raise
        except ServiceError:
            self.counts["media_refused"] += 1
            return ""
        self.stored.append(stored.name)
        self.counts["media_stored"] += 1
        return stored.url

    def discard(self):
        for name in self.stored:
            default_storage.delete(name)
        self.stored = []


def getattr_cap():
    return min(MEDIA_MAX_SIZE, limit("IMPORT_MAX_TOTAL_SIZE"))


def _member(archive, name):
    for candidate in (name, name.replace("_", "-"), f"{name}.json", f"{name.replace('_', '-')}.json"):
        info = archive.find(candidate)
        if info is not None:
            return info
    return None


def _decode_error(name, error):
    return Refused(f"{name}: the file is not valid JSON ({str(error)[:200]}).")


def read_event(archive):
    info = _member(archive, "event")
    if info is None:
        raise Refused("The zip has no 'event' file: it is not an Open Event export.")
    try:
        record = json.loads(archive.read(info, limit("IMPORT_MAX_JSON_SIZE")))
    except (ValueError, UnicodeDecodeError) as error:
        raise _decode_error("event", error) from None
    except RecursionError:
        raise Refused("event: the JSON nests too deeply.") from None
    if isinstance(record, list) and len(record) == 1:
        record = record[0]
    if not isinstance(record, dict):
        raise Refused("event: the file holds no object (expected the event's attributes).")
    return normalized(record)


def _count(archive, info, name):
    """How many items the list file holds (None: not a list); checks it parses."""
    count, first = 0, True
    try:
        for prefix, event, _ in ijson.parse(archive.stream(info, limit("IMPORT_MAX_JSON_SIZE"))):
            if first:
                first = False
                if (prefix, event) != ("", "start_array"):
                    raise Refused(f"{name}: the file holds no list (expected a list of objects).")
            elif prefix == "item" and event in ITEM_STARTS:
                count += 1
    except ijson.JSONError as error:
        raise _decode_error(name, error) from None
    return None if first else count


def read_list(archive, name):
    """Places of the file's items, streamed; [] when the file is missing or empty."""
    info = _member(archive, name)
    if info is None or info.file_size == 0:
        return None, 0
    total = _count(archive, info, name)
    if total is None:
        return None, 0
    if total > limit("IMPORT_MAX_ITEMS"):
        raise Refused(f"{name}: the file has {total} items; at most {limit('IMPORT_MAX_ITEMS')} are accepted.")

    def places():
        stream = archive.stream(info, limit("IMPORT_MAX_JSON_SIZE"))
        try:
            for index, item in enumerate(ijson.items(stream, "item", use_float=True), start=1):
                if not isinstance(item, dict):
                    raise Refused(f"{name}, item {index}: is not an object.")
                yield Place(name, index, normalized(item))
        except ijson.JSONError as error:
            raise _decode_error(name, error) from None

    return places(), total


def import_open_event_zip(fileobj, user, progress):
    """Import the zip in ``fileobj`` as a new event of ``user``: (event, counts)."""
    archive = SafeZip(fileobj)
    event_record = read_event(archive)
    builder = Builder(user, progress=progress)
    media = ZipMedia(archive, user, builder.counts)
    builder.media = media
    try:
        progress("Importing the event")
        builder.build_event(event_record)
        nested_links = event_record.get("social_links") or []
        if not isinstance(nested_links, list):
            raise Refused("event: social-links is not a list.")
        builder.social_links(
            Place("event, social-links", index, normalized(item))
            for index, item in enumerate(nested_links, start=1) if isinstance(item, dict)
        )
        for name in LIST_FILES:
            places, total = read_list(archive, name)
            if places is None:
                if name in NESTABLE:
                    builder.absent(name)
                continue
            progress(f"Importing {name.replace('_', ' ')} (0/{total})")
            _dispatch(builder, name, places, total)
    except BaseException:
        media.discard()
        raise
    return builder.event, dict(builder.counts), media.stored


def _dispatch(builder, name, places, total):
    if name in ("speakers", "sessions"):
        getattr(builder, name)(places, total)
    else:
        getattr(builder, name)(places)
