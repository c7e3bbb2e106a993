"""What every schedule exporter is, and the registry the feeds and the export jobs look them up in.

An exporter is a small class: ``identifier`` (the name of the feed's format and of the export
job's kind, ``ExportJob.Kind``), ``label``, ``extension`` (of the file name), ``content_type``
and ``render(event, base_url=None)``, the file's bytes. Every exporter reads the same data
(``data.FeedSchedule``: the event's released schedule as the public site shows it), so the
formats never disagree about a session's time, room or speakers.
"""

from openevent.core.errors import NotFound

from .data import FeedSchedule

#: identifier -> exporter class, in the order they were registered.
EXPORTERS = {}


class Exporter:
    identifier = ""
    label = ""
    extension = ""
    content_type = "application/octet-stream"

    def filename(self, event):
        return f"{event.identifier}.{self.extension}"

    def render(self, event, base_url=None):
        """The file of ``event``'s released schedule, as bytes; ``base_url`` (``https://host``)
        makes its links absolute (default: ``settings.SITE_URL``)."""
        return self.build(FeedSchedule.of(event, base_url))

    def build(self, feed):
        """The file of ``feed`` (a ``FeedSchedule``), as bytes."""
        raise NotImplementedError


def register(cls):
    """Class decorator: makes ``cls`` the exporter of its ``identifier``."""
    if not cls.identifier or cls.identifier in EXPORTERS:
        raise ValueError(f"An exporter needs an identifier of its own, not {cls.identifier!r}.")
    EXPORTERS[cls.identifier] = cls
    return cls


def get_exporter(identifier):
    """An instance of the exporter named ``identifier``; ``NotFound`` for an unknown name."""
    try:
        return EXPORTERS[identifier]()
    except KeyError:
        raise NotFound(f"There is no schedule format {identifier!r}.") from None
