"""Image variants of the rows that show pictures: an event's image and logo, a speaker's photo, a
sponsor's logo, a user's avatar.

When a write sets a source image field (``Event.original_image_url``, ``Speaker.photo_url``,
``User.avatar_url``) to a new address, the service calls ``schedule_variants`` and, after commit, a
thin Celery task calls ``write_variants``: if the address is one of our stored images
(``openevent.uploads.services.open_upload``), ``make_image_variants`` makes the smaller pictures and
their URLs go into the row's variant fields — with one conditional UPDATE that changes the row only
while its source field still holds that address. A task that runs late, after a newer picture was
set, therefore changes nothing (no lost update), and running a task twice writes the same row.

External addresses keep the behaviour from before uploads existed: no variants are made and the
variant fields stay as the writer gave them.

Logos (``Event.logo_url``, ``Sponsor.logo_url``) have no variant fields in Open Event's resources;
their variant (``logo_thumbnail_url``, for the public pages only, not in the API) is ``derived``:
only this module writes it. ``take`` drops it from a write's data, and clears it in the same save
when the logo changes, so a variant never outlives its logo (an external logo, or none, leaves it
empty; the pages then show the logo itself) and an uploaded one gets its new variant after commit.
"""

import logging
from dataclasses import dataclass

from django.db import transaction

from openevent.core.errors import Invalid
from openevent.uploads.services import make_image_variants, open_upload

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImageFields:
    """Which field of a model holds the source picture, and which field takes each variant."""

    source: str
    variants: dict  # variant name of ``make_image_variants`` -> model field
    derived: bool = False  # the variant fields are only ever written here, never by a client

    def changed(self, row, data):
        """The new source address when the write ``data`` sets one that differs from ``row``'s
        (``row`` None: a row being created), else None."""
        url = (data.get(self.source) or "").strip()
        if not url or (row is not None and getattr(row, self.source) == url):
            return None
        return url

    def take(self, row, data):
        """Prepare the write ``data`` of ``row`` (None: a row being created) for ``derived`` variant
        fields: any the writer gives are dropped, and they are cleared when the source changes.
        Returns the new source address to make variants of, as ``changed``."""
        url = self.changed(row, data)
        if self.derived:
            for field in self.variants.values():
                data.pop(field, None)
            if row is not None and self.source in data and data[self.source] != getattr(row, self.source):
                data.update(dict.fromkeys(self.variants.values(), ""))
        return url


EVENT_IMAGE = ImageFields(
    "original_image_url",
    {"thumbnail": "thumbnail_image_url", "large": "large_image_url", "icon": "icon_image_url"},
)
USER_IMAGE = ImageFields(
    "avatar_url",
    {"thumbnail": "thumbnail_image_url", "small": "small_image_url", "icon": "icon_image_url"},
)
#: The logo of an event (the public pages' header) and of a sponsor (the event page's sponsor list):
#: the thumbnail box of ``settings.IMAGE_VARIANT_SIZES`` — "small" is smaller than the 64 px header.
EVENT_LOGO = ImageFields("logo_url", {"thumbnail": "logo_thumbnail_url"}, derived=True)
SPONSOR_LOGO = ImageFields("logo_url", {"thumbnail": "logo_thumbnail_url"}, derived=True)
IMAGE_TYPE_PREFIX = "image/"


def stored_image_name(url):
    """The storage name of ``url`` when it is one of our stored images, else None."""
    opened = open_upload(url)
    if opened is None:
        return None
    fileobj, content_type, name = opened
    fileobj.close()
    return name if (content_type or "").startswith(IMAGE_TYPE_PREFIX) else None


def write_variants(model, pk, url, fields):
    """Make the variants of the picture at ``url`` and store them on row ``pk`` of ``model`` while
    its source field still is ``url``. Returns True when the row was changed."""
    name = stored_image_name(url)
    if name is None:
        return False
    try:
        variants = make_image_variants(name)
    except Invalid as error:  # a variant's own URL, or a stored image that cannot be read
        logger.warning("No variants of %s for %s %s: %s", url, model.__name__, pk, error.message)
        return False
    values = {field: variants[variant] for variant, field in fields.variants.items() if variant in variants}
    rows = model._base_manager.filter(pk=pk, **{fields.source: url})
    return bool(values) and rows.update(**values) > 0


def schedule_variants(task, pk, url):
    """Run ``task(pk, url)`` in Celery once the current transaction commits (a rolled-back write
    schedules nothing)."""
    if url:
        transaction.on_commit(lambda: task.delay(pk, url))
