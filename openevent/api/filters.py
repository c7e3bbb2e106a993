"""Filtering and sorting of API lists in the dialects Open Event clients speak.

``REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]`` names these, in this order:

- ``QueryParameterValidationFilter``: only known query parameters pass.
- ``OrderingFilter``: ``sort=-starts-at,role.name``, by the fields the serializer exposes.
- ``JsonFilterBackend``: Open Event's JSON filter,
  ``filter=[{"name": "state", "op": "eq", "val": "published"}]``.
- ``FieldFilterBackend``: JSON:API style ``filter[state]=published``,
  ``filter[starts-at.gte]=2026-01-01T00:00:00Z`` from each viewset's ``filterset_fields``.

Every mistake in a query parameter is a 400 naming the parameter (``BadQueryParameter``), never a
500. Sorting and filtering apply to collections only: on routes that look up one object (detail,
related and relationship routes) they are left out, because there the parameters are meant for the
related list, which its own viewset filters.

What the JSON filter and ``sort`` may name, per viewset (python names, ``permitted_names``):

- a method ``filterable_fields()`` (for fields whose visibility depends on where the list is);
- otherwise every readable field of the serializer, without the private fields its
  ``private_rule()`` hides from the requesting user on some rows.

Each name is mapped to the model through the serializer field's ``source``; names that do not end
at a database column or relation (properties, method fields) cannot be filtered or sorted by.
``id`` always can. There are no per-viewset lists of sortable fields: the serializer decides.
"""
import datetime
import json
import re

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import BooleanField, Exists, F, JSONField, OuterRef, Q, Subquery
from django.utils import timezone
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings
from rest_framework_json_api import django_filters as dja_django_filters
from rest_framework_json_api import filters as dja_filters
from rest_framework_json_api.utils import format_field_name, undo_format_field_name

from . import like
from .exceptions import BadQueryParameter
from .routing import viewset_for

#: Actions that look up one object; list parameters on their URLs are not meant for them.
SINGLE_OBJECT_ACTIONS = {"retrieve", "retrieve_related", "relationships", "update", "partial_update", "destroy"}

#: Model fields no filter may ever name, whatever a viewset or serializer says.
SENSITIVE_FIELDS = {"password", "token_hash"}


def applies_to(view):
    """Do list parameters (sort, filter) apply to this view's current action?"""
    return getattr(view, "action", None) not in SINGLE_OBJECT_ACTIONS


def python_name(name):
    """A wire name (``starts-at``, ``role.name``) as the python name (``starts_at``, ``role.name``)."""
    return ".".join(undo_format_field_name(part) for part in name.split("."))


def wire_name(name):
    """The reverse of ``python_name``, for error messages."""
    return ".".join(format_field_name(part) for part in name.split("."))


# --- which fields a view exposes -------------------------------------------------------------------


def model_field_at(model, path):
    """The model field an ORM path (``role__name``) ends at, or None if it is not a database field."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field


def exposed_model_fields(view, model, names=None):
    """Python name -> (ORM path, model field) for the serializer fields of ``view`` that are database
    fields of ``model``. ``names`` narrows the result; by default every readable field counts."""
    serializer_fields = view.get_serializer_class()().fields
    if names is None:
        names = [name for name, field in serializer_fields.items() if not field.write_only]
    exposed = {}
    for name in names:
        serializer_field = serializer_fields.get(name)
        source = serializer_field.source if serializer_field is not None else name
        if not source or source == "*":
            continue
        path = source.replace(".", "__")
        model_field = model_field_at(model, path)
        if model_field is None or name in SENSITIVE_FIELDS or model_field.name in SENSITIVE_FIELDS:
            continue
        if isinstance(model_field, JSONField):
            # Free-form JSON (custom answers): no comparison means the same on every database.
            continue
        exposed[name] = (path, model_field)
    return exposed


def permitted_names(view):
    """Python names of the serializer fields the requesting user may filter and sort ``view``'s
    rows by: the view's ``filterable_fields()`` when it has one (where reading a private field
    depends on more than the serializer knows, such as the event a list is nested under);
    otherwise every readable field but the private ones of the serializer's ``private_rule()``,
    unless that rule shows them to this viewer on every row."""
    if hasattr(view, "filterable_fields"):
        return view.filterable_fields()
    # Without the view: the serializer would check ``include`` against itself, and the request's
    # ``include`` belongs to the list being sorted, not to a related resource's scope.
    context = {key: value for key, value in view.get_serializer_context().items() if key != "view"}
    serializer = view.get_serializer_class()(context=context)
    names = [name for name, field in serializer.fields.items() if not field.write_only]
    private_rule = getattr(serializer, "private_rule", None)
    if private_rule is not None:
        private, shown = private_rule()
        if shown is not True:
            names = [name for name in names if name not in private]
    return names


def relation_kind(field):
    """``"to_one"``, ``"to_many"`` or None (a plain column) for a model field or relation."""
    if not field.is_relation:
        return None
    return "to_many" if field.one_to_many or field.many_to_many else "to_one"


# --- QueryParameterValidationFilter -----------------------------------------------------------------


class QueryParameterValidationFilter(dja_filters.QueryParameterValidationFilter):
    """Only the query parameters the API understands pass; anything else is a 400 naming it.

    A viewset with parameters of its own lists them in ``extra_query_params``; DRF's ``format``
    override is always allowed, and so are the cache hints the Open Event front end adds to its
    requests (``cache``, ``public``, ``nocache``), which mean nothing to this server.
    """

    #: Sent by FOSSASIA's open-event-frontend on ordinary list calls; accepted and ignored.
    client_hints = {"cache", "public", "nocache"}

    query_regex = re.compile(
        r"^(?:sort|include|filter|get_trashed|permanent|page\[(?:number|size)\]"
        r"|fields\[[\w\-]+\]|filter\[[\w.\-]+\])$"
    )
    #: Repeating one of these is fine (they are ANDed); repeating any other parameter is not.
    repeatable = re.compile(r"^filter(\[[\w.\-]+\])?$")

    def validate_query_params(self, request, view=None):
        extra = {*getattr(view, "extra_query_params", ()), api_settings.URL_FORMAT_OVERRIDE, *self.client_hints}
        for parameter in request.query_params:
            if parameter in extra:
                continue
            if not self.query_regex.match(parameter):
                raise BadQueryParameter(parameter, f"Unknown query parameter '{parameter}'.")
            if len(request.query_params.getlist(parameter)) > 1 and not self.repeatable.match(parameter):
                raise BadQueryParameter(parameter, f"The query parameter '{parameter}' may be given only once.")

    def filter_queryset(self, request, queryset, view):
        self.validate_query_params(request, view)
        return queryset


# --- OrderingFilter ---------------------------------------------------------------------------------


def sort_refusal(term, detail):
    return BadQueryParameter("sort", f"Cannot sort by '{term}': {detail}")


def why_unsortable(view, model, name):
    """Why the serializer field ``name`` of ``view`` is not among the fields a viewer may sort by
    (the wording of the 400): unknown, write-only, computed, free-form JSON or private."""
    field = view.get_serializer_class()().fields.get(name)
    if field is None:
        return "this resource has no such field."
    if field.write_only or name in SENSITIVE_FIELDS:
        return "it is write-only."
    source = field.source.replace(".", "__") if field.source and field.source != "*" else None
    model_field = model_field_at(model, source) if source else None
    if model_field is None:
        return "it is computed when the resource is rendered and has no stored value to sort by."
    if isinstance(model_field, JSONField):
        return "it holds free-form answers, which have no order."
    if model_field.is_relation:
        return "it is a relationship, not an attribute."
    return "it is private, and only those who may read it on every row of this list may sort by it."


class OrderingFilter(dja_filters.OrderingFilter):
    """``sort=-starts-at,id``: dashed names, ``-`` for descending, one level through a to-one
    relation (``sort=role.name``, ``sort=event.starts-at``).

    What a viewer may sort by is what they may filter by (``Scope.of_view``: the serializer's
    readable stored fields, without the private fields the viewer cannot read on every row), so a
    new serializer field sorts without any list to update, and a private field is no ordering
    oracle. Through a relation the related resource's own rule applies, and only related rows the
    viewer could open count: a hidden or trashed target sorts as an absent one. Computed
    attributes, free-form JSON and to-many relations are refused with a 400 naming the reason.

    Absent values (null) sort last ascending and first descending on every database, as
    PostgreSQL does. ``id`` always sorts, and the primary key is appended as the last term so
    that pages never overlap or skip rows.
    """

    def filter_queryset(self, request, queryset, view):
        if not applies_to(view):
            return queryset
        return queryset.order_by(*self.get_ordering(request, queryset, view))

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param, "")
        if raw.strip():
            ordering = self.requested_ordering(raw, queryset, view)
        else:
            ordering = list(
                self.get_default_ordering(view)
                or queryset.query.order_by
                or (queryset.model._meta.ordering if queryset.query.default_ordering else [])
            )
        return self.with_tiebreaker(ordering, queryset.model)

    def requested_ordering(self, raw, queryset, view):
        scope = Scope.of_view(view, queryset.model)
        ordering = []
        for term in (part.strip() for part in raw.split(",")):
            descending = term.startswith("-")
            name = python_name(term[1:] if descending else term)
            if name == "id":
                ordering.append("-pk" if descending else "pk")
                continue
            key = self.sort_key(term, name, scope, view)
            ordering.append(key.desc(nulls_first=True) if descending else key.asc(nulls_last=True))
        return ordering

    def sort_key(self, term, name, scope, view):
        """The SQL expression ``sort=name`` orders ``scope``'s rows by."""
        head, _, tail = name.partition(".")
        if head not in scope.fields:
            raise sort_refusal(term, why_unsortable(view, scope.model, head) + self.hint(scope))
        path, field = scope.fields[head]
        kind = relation_kind(field)
        if kind == "to_many":
            raise sort_refusal(term, "it is a to-many relationship.")
        if not tail:
            if kind is not None:
                example = f"{wire_name(head)}.name"
                raise sort_refusal(term, f"it is a relationship; sort by one of its attributes ('{example}').")
            return F(path)
        if kind is None:
            raise sort_refusal(term, f"'{wire_name(head)}' is not a relationship.")
        related = scope.related(head, field)
        if "." in tail:
            raise sort_refusal(term, "sorting goes one level through a to-one relationship, no deeper.")
        if tail not in related.fields or relation_kind(related.fields[tail][1]) is not None:
            if related.view is not None and tail in related.view.get_serializer_class()().fields:
                reason = why_unsortable(related.view, related.model, tail)
            else:
                reason = "the related resource has no such attribute."
            raise sort_refusal(term, reason)
        related_path = related.fields[tail][0]
        rows = related.rows().filter(pk=OuterRef(path)).order_by().values(related_path)[:1]
        return Subquery(rows, output_field=related.fields[tail][1])

    @staticmethod
    def hint(scope):
        names = sorted(wire_name(name) for name, (_, field) in scope.fields.items() if relation_kind(field) is None)
        return f" Sortable attributes: {', '.join(names)}."

    @staticmethod
    def with_tiebreaker(ordering, model):
        """``ordering`` ending with the primary key unless it already sorts by it."""
        pk_terms = {"pk", model._meta.pk.name}
        if any(isinstance(term, str) and term.lstrip("-") in pk_terms for term in ordering):
            return ordering
        return [*ordering, "pk"]


# --- JsonFilterBackend ------------------------------------------------------------------------------

#: op -> (Django lookup, negated). ``is_``/``isnot`` with ``null`` become ``isnull``.
COMPARISONS = {
    "eq": ("exact", False),
    "ne": ("exact", True),
    "lt": ("lt", False),
    "le": ("lte", False),
    "gt": ("gt", False),
    "ge": ("gte", False),
    "is_": ("exact", False),
    "isnot": ("exact", True),
    "in_": ("in", False),
    "notin_": ("in", True),
    "between": ("range", False),
}
#: op -> Django lookup; the value is a string taken as it is.
#: ``between`` takes a list of exactly two bounds (low, high).
BETWEEN_BOUNDS = 2
TEXT_MATCHES = {"startswith": "startswith", "endswith": "endswith", "contains": "contains"}
PATTERNS = {"like", "ilike"}
RELATIONS = {"has": "to_one", "any": "to_many"}
OPERATORS = [*COMPARISONS, *TEXT_MATCHES, *PATTERNS, *RELATIONS]
#: Ops that compare a to-one relation by the related row's id.
ID_COMPARISONS = {"eq", "ne", "is_", "isnot", "in_", "notin_"}
LOGIC_KEYS = {"and", "or", "not"}
LEAF_KEYS = {"name", "op", "val"}
MAX_DEPTH = 10


def bad_filter(detail):
    return BadQueryParameter("filter", detail)


class Scope:
    """One level of a JSON filter: the model its nodes apply to and the names they may use.

    ``fields`` maps python names to (ORM path, model field). A scope built from a viewset also
    knows the rows that viewset shows the requesting user, so a nested ``has``/``any`` node matches
    only related rows the user could see anyway (an anonymous client must not learn, say, whether
    some address was invited to an event's team by filtering events on their invites).
    """

    def __init__(self, model, fields, view=None):
        self.model = model
        self.fields = {"id": ("pk", model._meta.pk), **fields}
        self.view = view

    @classmethod
    def of_view(cls, view, model):
        return cls(model, exposed_model_fields(view, model, permitted_names(view)), view)

    @classmethod
    def of_model(cls, model):
        """For relations no viewset serves: the model's own columns and forward relations."""
        fields = {
            field.name: (field.name, field)
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many)
            and not field.auto_created
            and field.name not in SENSITIVE_FIELDS
            and not isinstance(field, JSONField)
            and not (field.is_relation and field.related_model is None)
        }
        return cls(model, fields)

    def rows(self):
        """The rows of this scope a nested node may match."""
        view = self.view
        if view is not None and hasattr(view, "visible_queryset") and hasattr(view, "base_queryset"):
            return view.visible_queryset(view.base_queryset())
        return self.model._default_manager.all()

    def related(self, name, field):
        """The scope of the resource behind the relation ``name``."""
        resources = getattr(self.view, "related_resources", None) or {}
        if name in resources:
            viewset = viewset_for(resources[name][0])
            # As for a detail lookup: a related row counts if the user could open it by its id.
            view = viewset(request=self.view.request, kwargs={}, action="retrieve", format_kwarg=None)
            return Scope.of_view(view, field.related_model)
        return Scope.of_model(field.related_model)


def reverse_lookup(relation):
    """The lookup from the related model back to the model that has the to-many ``relation``."""
    if relation.auto_created and not relation.concrete:
        return relation.field.name  # a reverse relation: the foreign key (or m2m) on the other side
    return relation.related_query_name()  # a forward many-to-many


def like_lookup(pattern, insensitive):
    """An SQL LIKE pattern as a Django (lookup, value).

    ``%`` matches any run of characters, ``_`` exactly one, and a backslash makes the next character
    literal. The common shapes become plain lookups (``abc`` exact, ``abc%`` startswith, ``%abc``
    endswith, ``%abc%`` contains); anything else goes to the database's own pattern matcher through
    the ``like``/``ilike`` lookups of ``openevent.api.like`` (never a backtracking regex). Patterns
    longer than ``like.MAX_LENGTH`` or with more than ``like.MAX_WILDCARDS`` ``%`` are refused.
    """
    if len(pattern) > like.MAX_LENGTH:
        raise bad_filter(f"A like pattern may be at most {like.MAX_LENGTH} characters long.")
    tokens = like.tokens(pattern)
    if tokens.count(like.ANY) > like.MAX_WILDCARDS:
        raise bad_filter(f"A like pattern may hold at most {like.MAX_WILDCARDS} '%' wildcards.")

    prefix = "i" if insensitive else ""
    literals = [token for token in tokens if isinstance(token, str)]
    if like.ONE not in tokens and len(literals) <= 1:
        # One of "", "abc", "%", "abc%", "%abc", "%abc%".
        text = literals[0] if literals else ""
        starts, ends = bool(tokens) and tokens[0] == like.ANY, bool(tokens) and tokens[-1] == like.ANY
        if starts and ends:
            return prefix + "contains", text
        if ends:
            return prefix + "startswith", text
        if starts:
            return prefix + "endswith", text
        return prefix + "exact", text
    return prefix + "like", like.normalized(tokens)


class JsonFilter:
    """Turns the nodes of Open Event's JSON filter into a ``Q`` over a scope's model."""

    def all_of(self, nodes, scope, depth=0):
        condition = Q()
        for node in nodes:
            condition &= self.node(node, scope, depth)
        return condition

    def node(self, node, scope, depth):
        if depth > MAX_DEPTH:
            raise bad_filter(f"The filter is nested more than {MAX_DEPTH} levels deep.")
        if not isinstance(node, dict):
            raise bad_filter(f"Each filter must be an object, not {json.dumps(node)}.")
        logic = LOGIC_KEYS & set(node)
        if logic:
            if len(node) != 1:
                raise bad_filter(f"An '{logic.pop()}' filter must have no other keys: {json.dumps(node)}.")
            return self.logic(*node.items(), scope, depth)
        return self.leaf(node, scope, depth)

    def logic(self, item, scope, depth):
        key, value = item
        if key == "not":
            if not isinstance(value, dict):
                raise bad_filter("'not' takes one filter object.")
            return ~self.node(value, scope, depth + 1)
        if not isinstance(value, list) or not value:
            raise bad_filter(f"'{key}' takes a non-empty list of filters.")
        if key == "and":
            return self.all_of(value, scope, depth + 1)
        condition = self.node(value[0], scope, depth + 1)
        for node in value[1:]:
            condition |= self.node(node, scope, depth + 1)
        return condition

    def leaf(self, node, scope, depth):
        unknown = set(node) - LEAF_KEYS
        if unknown:
            raise bad_filter(f"Unknown key(s) {', '.join(sorted(unknown))} in filter {json.dumps(node)}.")
        name, op = node.get("name"), node.get("op")
        if not isinstance(name, str) or not isinstance(op, str) or "val" not in node:
            raise bad_filter(f"A filter needs a name, an op and a val: {json.dumps(node)}.")
        if python_name(name) not in scope.fields:
            raise bad_filter(f"Unknown or unfilterable field '{name}'.")
        if op not in OPERATORS:
            raise bad_filter(f"Unknown filter op '{op}'. Known ops: {', '.join(OPERATORS)}.")
        path, field = scope.fields[python_name(name)]
        kind, value = relation_kind(field), node["val"]

        if op in RELATIONS:
            if kind != RELATIONS[op] or (kind == "to_many" and "__" in path):
                what = "a to-one" if op == "has" else "a to-many"
                raise bad_filter(f"'{op}' needs {what} relationship; '{name}' is not one.")
            related = scope.related(python_name(name), field)
            nested = value if isinstance(value, list) else [value]
            rows = related.rows().filter(self.all_of(nested, related, depth + 1))
            if op == "has":
                return Q(**{f"{path}__in": rows.values("pk")})
            # A subquery per row rather than a join, so no row appears twice.
            return Q(Exists(rows.filter(**{reverse_lookup(field): OuterRef("pk")})))
        if kind == "to_many":
            raise bad_filter(f"'{name}' is a to-many relationship; filter it with 'any'.")
        if kind == "to_one" and (op not in ID_COMPARISONS or not field.concrete):
            raise bad_filter(f"'{name}' is a relationship; filter it with 'has' or compare its id with eq/ne/in_.")
        return self.compare(name, path, field, op, value)

    def compare(self, name, path, field, op, value):
        if op in PATTERNS or op in TEXT_MATCHES:
            if not isinstance(value, str):
                raise bad_filter(f"'{op}' on '{name}' needs a string value.")
            if op in PATTERNS:
                lookup, value = like_lookup(value, insensitive=op == "ilike")
            else:
                lookup = TEXT_MATCHES[op]
            return Q(**{f"{path}__{lookup}": value})

        lookup, negated = COMPARISONS[op]
        if value is None and op in ("eq", "ne", "is_", "isnot"):
            lookup, value = "isnull", True
        elif op in ("is_", "isnot"):
            if not (isinstance(value, bool) and isinstance(field, BooleanField)):
                raise bad_filter(
                    f"'{op}' compares with null (or with true/false on a yes/no field), not {json.dumps(value)}."
                )
        elif op in ("in_", "notin_"):
            if not isinstance(value, list):
                raise bad_filter(f"'{op}' on '{name}' needs a list of values.")
            value = [self.python_value(name, field, item) for item in value]
        elif op == "between":
            if not isinstance(value, list) or len(value) != BETWEEN_BOUNDS:
                raise bad_filter(f"'between' on '{name}' needs a list of two values.")
            value = [self.python_value(name, field, item) for item in value]
        else:
            value = self.python_value(name, field, value)
        condition = Q(**{f"{path}__{lookup}": value})
        return ~condition if negated else condition

    @staticmethod
    def python_value(name, field, value):
        """``value`` from JSON as the python value ``field`` holds; datetimes accept ISO 8601."""
        if value is None or isinstance(value, (dict, list)):
            raise bad_filter(f"'{name}' needs a single non-null value here, not {json.dumps(value)}.")
        if isinstance(field, BooleanField) and isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"  # Django's own spelling is "True"/"False"
        try:
            value = field.to_python(value)
        except (DjangoValidationError, ValueError, TypeError):
            raise bad_filter(f"{json.dumps(value)} is not a valid value for '{name}'.") from None
        if isinstance(value, datetime.datetime) and settings.USE_TZ and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class JsonFilterBackend(BaseFilterBackend):
    """Open Event's JSON filter in the ``filter`` query parameter.

    ``filter`` is a JSON list of nodes, all of which must hold. A node is a condition
    ``{"name": "starts-at", "op": "ge", "val": "2026-01-01T00:00:00Z"}`` or a combination
    ``{"or": [...]}``, ``{"and": [...]}``, ``{"not": {...}}``. Ops: eq, ne, lt, le, gt, ge;
    like and ilike (SQL patterns with ``%`` and ``_``); in_ and notin_ (a list); is_ and isnot
    (null, true or false); startswith, endswith, contains; between (a list of two); has (a to-one
    relationship: ``val`` is a node about the related resource) and any (a to-many relationship,
    likewise). Names may be dashed. ``null`` with eq/ne tests for absence, as SQL's IS NULL.
    """

    parameter = "filter"

    def filter_queryset(self, request, queryset, view):
        if not applies_to(view):
            return queryset
        nodes = []
        for raw in request.query_params.getlist(self.parameter):
            if raw.strip():
                nodes.extend(self.parse(raw))
        if not nodes:
            return queryset
        try:
            return queryset.filter(JsonFilter().all_of(nodes, Scope.of_view(view, queryset.model)))
        except (DjangoValidationError, FieldError, ValueError, TypeError) as exc:
            raise bad_filter(f"This filter cannot be applied: {exc}") from None

    def parse(self, raw):
        try:
            nodes = json.loads(raw)
        except (ValueError, RecursionError):
            raise bad_filter("The filter is not valid JSON.") from None
        if not isinstance(nodes, list):
            raise bad_filter(
                'The filter must be a JSON list, like [{"name": "state", "op": "eq", "val": "published"}].'
            )
        return nodes

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.parameter,
                "required": False,
                "in": "query",
                "description": "Open Event JSON filter: a list of {name, op, val} nodes and or/and/not.",
                "schema": {"type": "string"},
            }
        ]


# --- FieldFilterBackend -----------------------------------------------------------------------------


class FieldFilterBackend(dja_django_filters.DjangoFilterBackend):
    """JSON:API style ``filter[state]=published``, ``filter[starts-at.gte]=…``,
    ``filter[role.name]=owner``, driven by the viewset's ``filterset_fields`` (django-filter).

    The bare ``filter`` parameter belongs to ``JsonFilterBackend`` and is left alone here. An unknown
    ``filter[x]`` or a value django-filter rejects is a 400 naming that parameter.
    """

    bracketed = re.compile(r"^filter\[(?P<path>[\w.\-]+)\]$")

    def filter_queryset(self, request, queryset, view):
        if not applies_to(view):
            return queryset
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            key, messages = next(iter(filterset.errors.items()))
            parameter = filterset.query_parameters.get(key, "filter")
            raise BadQueryParameter(parameter, f"Invalid value for {parameter}: {' '.join(messages)}")
        return filterset.qs

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        kwargs = self.get_filterset_kwargs(request, queryset, view)
        parameters = kwargs.pop("filter_keys")
        for key, parameter in parameters.items():
            if filterset_class is None or key not in filterset_class.base_filters:
                raise BadQueryParameter(parameter, f"Unknown filter {parameter}.")
        if filterset_class is None:
            return None
        filterset = filterset_class(**kwargs)
        filterset.query_parameters = parameters
        return filterset

    def get_filterset_kwargs(self, request, queryset, view):
        """``filter[starts-at.gte]=x`` becomes the django-filter datum ``starts_at__gte=x``;
        ``filter_keys`` maps each such filter name back to the query parameter it came from."""
        data = request.query_params.copy()
        parameters = {}
        for parameter, values in request.query_params.lists():
            if not parameter.startswith("filter") or parameter == JsonFilterBackend.parameter:
                continue
            if parameter == self.search_param and getattr(view, "search_fields", None):
                continue
            match = self.bracketed.match(parameter)
            if match is None:
                raise BadQueryParameter(parameter, "Filter with filter[<field>]=<value> or filter=[<JSON>].")
            if not all(values):
                raise BadQueryParameter(parameter, f"{parameter} needs a value.")
            key = undo_format_field_name(match["path"].replace(".", "__"))
            del data[parameter]
            data.setlist(key, values)
            parameters[key] = parameter
        return {"data": data, "queryset": queryset, "request": request, "filter_keys": parameters}
