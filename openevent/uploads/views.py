"""Our media files, served from the local storage in every mode (not only with DEBUG).

Only names of our pattern (``types.NAME_PATTERN``) reach the storage; anything else, traversal
included, is a 404 before any file system access. The ``Content-Type`` is the sniffed type the
name's extension records; raster images may show inline, everything else (SVG, PDF, audio,
video) is an attachment; every answer forbids sniffing and carries a policy that lets nothing run.
"""

from django.core.files.storage import storages
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from .types import is_inline, parse_name

#: Nothing a media file could contain may load or run anything (and it opens in a sandbox).
MEDIA_POLICY = "default-src 'none'; sandbox"
#: Names are random and never reused for other content: caches may keep a file for a day.
CACHE_CONTROL = "public, max-age=86400"


@require_safe
def media(request, name):
    parsed = parse_name(name)
    if parsed is None:
        raise Http404("No such file.")
    try:
        fileobj = storages["local"].open(name, "rb")
    except OSError:
        raise Http404("No such file.") from None
    response = FileResponse(
        fileobj,
        content_type=parsed[1].mime,
        as_attachment=not is_inline(name),
        filename=name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = MEDIA_POLICY
    response["Cache-Control"] = CACHE_CONTROL
    return response
