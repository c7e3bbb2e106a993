"""Whole documents for anonymous readers, kept in Django's cache: the key, the ``ETag``, ``304 Not
Modified`` and storing.

A viewset mixes in ``CachedDocumentMixin`` and says, in ``document_scope()``, what the document of a
request is built from: a short scope name (``"event:12"``) and that scope's current version, or None
when the request is not to be cached. The mixin asks only for anonymous GET/HEAD requests rendered
as JSON (never the browsable API), so no viewer's private fields can be stored, and stores only 200
responses (``API_DOCUMENT_CACHE = False`` turns it off). The version is bumped by whoever owns the
rows (a write makes a new version, so a new key: nothing is ever deleted or overwritten here; old
entries expire after ``API_DOCUMENT_CACHE_SECONDS``).

The key is the scope, its version, the absolute URL (scheme and host too: documents carry absolute
links) with its query parameters sorted by name (``?a=1&b=2`` and ``?b=2&a=1`` are one document;
the values of a repeated parameter keep their order) and the negotiated media type.

Every cacheable response, from the cache or freshly rendered, carries a strong ``ETag`` over its
bytes, ``Cache-Control: public, max-age=0, must-revalidate`` (clients and proxies keep it and ask
again each time) and ``Vary: Accept, Authorization, Cookie`` (a logged-in reader gets their own
document); ``If-None-Match`` with that ETag answers 304 without a body.
"""
import hashlib
from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.renderers import JSONRenderer

CACHEABLE_METHODS = ("GET", "HEAD")
#: Headers a 304 repeats from the response it stands for (RFC 9110, 15.4.5).
NOT_MODIFIED_HEADERS = ("Cache-Control", "ETag", "Vary", "Content-Location", "Expires")


class StoredDocument(HttpResponse):
    """A document answered with the stored bytes. ``render()`` does nothing, so code that renders
    a view's response (a related route that serves another view's list) takes it like a DRF one."""

    def render(self):
        return self


class NotModified(HttpResponseNotModified):
    def render(self):
        return self


def cache():
    return caches["default"]


def normalized_query(request):
    """The query string with its parameters sorted by name."""
    return urlencode(sorted(request.GET.lists()), doseq=True)


def document_key(request, scope, version):
    url = request.build_absolute_uri(request.path)
    parts = "\n".join([url, normalized_query(request), request.accepted_media_type or ""])
    digest = hashlib.sha256(parts.encode()).hexdigest()
    return f"api-doc:{scope}:{version}:{digest}"


def etag_of(body):
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def is_anonymous_json_read(request):
    """May this request be answered from (and stored into) the cache at all?"""
    return (
        settings.API_DOCUMENT_CACHE
        and request.method in CACHEABLE_METHODS
        and not request.user.is_authenticated
        and request.auth is None
        and isinstance(getattr(request, "accepted_renderer", None), JSONRenderer)
    )


def none_match(request, etag):
    """Does ``If-None-Match`` name ``etag`` (weak comparison, as RFC 9110 asks for GET)?"""
    wanted = parse_etags(request.META.get("HTTP_IF_NONE_MATCH", ""))
    if "*" in wanted:
        return True
    return etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in wanted}


def mark_public(response, etag):
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Accept", "Authorization", "Cookie"))


def not_modified(response):
    answer = NotModified()
    for name in NOT_MODIFIED_HEADERS:
        if name in response:
            answer[name] = response[name]
    return answer


class CachedDocumentMixin:
    """``list`` and ``retrieve`` answered from the cache for anonymous readers (see the module
    docstring). Subclasses implement ``document_scope()``."""

    #: The cache key of this request's document once ``list``/``retrieve`` decided it is cacheable.
    document_cache_key = None
    #: (content type, body, etag) when the document came from the cache.
    document_hit = None

    def document_scope(self):
        """(scope, version) of this request's document, or None when it must not be cached."""
        raise NotImplementedError

    #: The actions whose documents may be cached.
    cached_actions = ("list", "retrieve", "retrieve_related")

    def check_permissions(self, request):
        """Look the document up before anything else is loaded: a stored document was rendered for
        an anonymous reader under the same version, so it passed these checks (and the parent
        lookups of a nested list) then; only a miss runs them."""
        if self.action in self.cached_actions and is_anonymous_json_read(request):
            scope = self.document_scope()
            if scope is not None:
                self.document_cache_key = document_key(request, *scope)
                self.document_hit = cache().get(self.document_cache_key)
                if self.document_hit is not None:
                    return
        super().check_permissions(request)

    def list(self, request, *args, **kwargs):
        return self.cached_document(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self.cached_document(super().retrieve, request, *args, **kwargs)

    def cached_document(self, handler, request, *args, **kwargs):
        if self.document_hit is not None:
            content_type, body, _etag = self.document_hit
            return StoredDocument(body, content_type=content_type)
        return handler(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.document_cache_key is None or response.status_code != HTTPStatus.OK or response.streaming:
            return response
        if self.document_hit is not None:
            etag = self.document_hit[2]
        else:
            if hasattr(response, "render"):
                response.render()
            etag = etag_of(response.content)
            stored = (response["Content-Type"], response.content, etag)
            cache().set(self.document_cache_key, stored, settings.API_DOCUMENT_CACHE_SECONDS)
        mark_public(response, etag)
        if none_match(request, etag):
            return not_modified(response)
        return response
