"""``FastReadMixin``: GET list and detail through the fast path, everything else through the library.

The fast path takes a request when the setting ``API_FAST_READS`` is on (the default), the
request is a GET (or HEAD) of a list or a detail, the negotiated renderer is the JSON:API one (not
the browsable API), and every resource the document may hold has a ``ResourceSpec``. It runs the
viewset's own ``get_queryset()`` and ``filter_queryset()`` (visibility, parents, trash, both filter
syntaxes, sort), its paginator and its permission checks, so errors and edge cases are the
library path's; a detail it cannot find is handed to the library, which words the 404.

``API_FAST_READS = False`` sends every request to the library path. Only settings flip it (the
benchmark and the sameness test do), never a request: a client cannot choose the slow path.
"""
from django.conf import settings
from django.core.paginator import Paginator
from rest_framework.response import Response

from ..renderers import JsonApiRenderer
from .reader import Reader
from .specs import Unsupported


class RowsPaginator(Paginator):
    """Django's paginator, fetching the page's rows first: when a page holds fewer rows than
    fit, they are the last ones and the count is known without a COUNT query (the whole
    program in one page costs one query, not two)."""

    def page(self, number):
        # Only the first page is fetched ahead: any other number is checked against the count
        # first, as Django does, so a huge ``page[number]`` is "Invalid page", never an OFFSET
        # past what the database takes.
        if str(number) == "1" and "count" not in self.__dict__:
            rows = list(self.object_list[: self.per_page])
            if len(rows) < self.per_page:
                self.__dict__["count"] = len(rows)
            self._fetched = (1, rows)
        return super().page(number)

    def _get_page(self, object_list, number, paginator):
        fetched = getattr(self, "_fetched", None)
        if fetched is not None and fetched[0] == number:
            object_list = fetched[1][: max(0, self.count - (number - 1) * self.per_page)]
        return super()._get_page(object_list, number, paginator)


class FastReadMixin:
    """For resource viewsets: ``list`` and ``retrieve`` answered by ``openevent.api.fast``."""

    def fast_reader(self):
        request = self.request
        if not getattr(settings, "API_FAST_READS", True) or request.method not in ("GET", "HEAD"):
            return None
        if not isinstance(getattr(request, "accepted_renderer", None), JsonApiRenderer):
            return None
        if "related_field" in self.kwargs:
            return None
        try:
            return Reader(self)
        except Unsupported:
            return None

    def list(self, request, *args, **kwargs):
        reader = self.fast_reader()
        if reader is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        paginator = self.paginator
        paginator.django_paginator_class = RowsPaginator
        rows = paginator.paginate_queryset(reader.row_query(reader.root_set, queryset), request, view=self)
        page = paginator.page
        bottom = (page.number - 1) * page.paginator.per_page
        pks = reader.read(queryset[bottom : bottom + len(rows)], rows)
        data, included = reader.document_data(pks)
        paginated = paginator.get_paginated_response(None).data
        return self.fast_response(reader.document(data, included, paginated.get("links"), paginated.get("meta")))

    def retrieve(self, request, *args, **kwargs):
        reader = self.fast_reader()
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        lookup = str(self.kwargs.get(lookup_url_kwarg, ""))
        if reader is None or not (lookup.isascii() and lookup.isdigit()):
            return super().retrieve(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        queryset = queryset.filter(**{self.lookup_field: int(lookup)})
        model = queryset.model
        columns = [field.attname for field in model._meta.concrete_fields]
        found = list(reader.row_query(reader.root_set, queryset, extra=columns)[:2])
        if len(found) != 1:
            return super().retrieve(request, *args, **kwargs)
        row = found[0]
        instance = model.from_db(queryset.db, columns, [row[name] for name in columns])
        self.check_object_permissions(request, instance)
        pks = reader.read(queryset, [row])
        data, included = reader.document_data(pks)
        return self.fast_response(reader.document(data[0], included))

    def fast_response(self, document):
        # Rendered as it is: the renderer adds ``jsonapi`` and encodes it once.
        self.resource_name = False
        response = Response(document)
        # Which path answered, for the sameness test (an attribute, never sent to the client).
        response.read_path = "fast"
        return response
