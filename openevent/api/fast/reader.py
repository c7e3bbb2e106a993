"""Reading rows and assembling the compound document.

The rows of a request form a tree of row sets: the primary rows (a page of the viewset's own
queryset), and for every ``include`` path below them the rows that path reaches, each as a
queryset built on its parent's (SQL subqueries, never lists of ids). The rows of one type are
fetched once, by the union of the querysets of the nodes of that type; each to-many relation of a
type is read from its through table with one query; to-one targets carry whether they are shown
(``openevent.api.relations.shown``) as an annotation of the row query.

The document then follows djangorestframework-jsonapi's renderer exactly (field order, which
relationship of which row is included, the order of ``included``), but visits each (row, include
paths) pair once, so its cost is linear in rows x paths.
"""
from collections import defaultdict

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from rest_framework_json_api.utils import format_field_names, get_included_resources

from .specs import COMPUTED, EMPTY, LINKS, ROWS, TO_MANY, TO_ONE, ResourceSpec, Unsupported

PRIVATE = "_fast_private"
MAX_TREE_DEPTH = 200  # include path segments; Python recursion stays far below its limit
BATCH = 5000


def _batches(pks):
    for start in range(0, len(pks), BATCH):
        yield pks[start : start + BATCH]


def _shown_key(name):
    return f"_fast_shown_{name}"


def _annotation_key(name):
    return f"_fast_a_{name}"


def _condition(condition):
    """A boolean SQL expression from a ``Q`` or an expression."""
    return ExpressionWrapper(Q(condition) if not isinstance(condition, Q) else condition, output_field=BooleanField())


def _prefixed(term, prefix):
    if not isinstance(term, str):
        raise Unsupported("ordering by an expression")
    if term.startswith("-"):
        return f"-{prefix}__{term[1:]}"
    return f"{prefix}__{term}"


class Node:
    """An include path position: the rows that may be reached there, and the paths below it."""

    __slots__ = ("children", "paths", "pks", "row_set", "spec")

    def __init__(self, spec, row_set, paths):
        self.spec, self.row_set, self.paths = spec, row_set, paths
        self.children = {}
        self.pks = set()


class RowSet:
    """The rows of one type that the document may render, with their relationship data."""

    def __init__(self, spec):
        self.spec = spec
        self.rows = {}
        self.one = defaultdict(dict)  # relation name -> {pk: target pk or None (empty, trashed or hidden)}
        self.many = defaultdict(dict)  # relation name -> {pk: [target pks]}
        self.withheld = defaultdict(set)  # relation name -> pks whose ``rows_many`` data is withheld
        self.traversed = set()  # relations some node walks through
        self.related = set()  # pks whose relationship data is loaded


def paths_below(paths, name):
    """The include paths below relation ``name`` for rows walked with ``paths``, or None when
    ``name`` is not named — the library's own rule, duplicates and all."""
    remaining = list(paths)
    try:
        remaining.remove(name)
    except ValueError:
        if name not in [path.split(".")[0] for path in remaining]:
            return None
    return [path.replace(f"{name}.", "", 1) for path in remaining if name == path.split(".")[0]]


class Reader:
    """Renders the documents of one request. Raises ``Unsupported`` while it is built if any
    resource on the include paths is beyond the fast path."""

    def __init__(self, view):
        self.view = view
        self.request = view.request
        self.context = view.get_serializer_context()
        self.specs = {}
        self.paths = get_included_resources(self.request)
        self.root = self.spec(view.get_serializer_class(), type(view))
        self.visible_cache = {}
        # Walk the include tree once without rows, so that every spec is built (or refused) now.
        self._check(self.root, self.paths, 0)
        self.root_set = RowSet(self.root)
        self.build_tree()

    def spec(self, serializer_class, viewset_class):
        key = serializer_class
        if key not in self.specs:
            self.specs[key] = ResourceSpec(serializer_class, self.context, viewset_class)
        return self.specs[key]

    def child_spec(self, spec, relation):
        if relation.serializer_class is None:
            raise Unsupported(f"include {relation.name}")
        return self.spec(relation.serializer_class, relation.target_viewset)

    def _check(self, spec, paths, depth):
        if depth > MAX_TREE_DEPTH:
            raise Unsupported("include tree too deep")
        for relation in spec.relations:
            below = paths_below(paths, relation.name)
            if below is None or relation.kind in (LINKS, EMPTY):
                continue
            self._check(self.child_spec(spec, relation), below, depth + 1)

    # --- who sees which targets -----------------------------------------------------------------------
    def target_view(self, viewset_class):
        return viewset_class(request=self.request, kwargs={}, action="retrieve", format_kwarg=None)

    def visible(self, relation):
        """Rows of a to-many target the viewer sees, as a detail lookup of its resource would."""
        key = ("visible", relation.target_viewset)
        if key not in self.visible_cache:
            view = self.target_view(relation.target_viewset)
            self.visible_cache[key] = view.visible_queryset(view.base_queryset())
        return self.visible_cache[key]

    def shown(self, relation):
        """Rows a to-one relationship may name: not in the trash, and passing the target
        resource's ``shown_targets`` rule if it has one."""
        key = ("shown", relation.target_model, relation.target_viewset)
        if key not in self.visible_cache:
            model = relation.target_model
            queryset = model._base_manager.all()
            if any(field.name == "deleted_at" for field in model._meta.concrete_fields):
                queryset = queryset.filter(deleted_at__isnull=True)
            viewset = relation.target_viewset
            if viewset is not None and hasattr(viewset, "shown_targets"):
                queryset = self.target_view(viewset).shown_targets(queryset)
            self.visible_cache[key] = queryset
        return self.visible_cache[key]

    # --- the tree of include positions -------------------------------------------------------------
    def build_tree(self):
        self.sets = {}
        self.tree = Node(self.root, self.root_set, self.paths)
        self._grow(self.tree)

    def included_set(self, spec):
        if spec.type not in self.sets:
            self.sets[spec.type] = RowSet(spec)
        return self.sets[spec.type]

    def _grow(self, node):
        for relation in node.spec.relations:
            below = paths_below(node.paths, relation.name)
            if below is None or relation.kind in (LINKS, EMPTY):
                continue
            spec = self.child_spec(node.spec, relation)
            child = node.children[relation.name] = Node(spec, self.included_set(spec), below)
            node.row_set.traversed.add(relation.name)
            self._grow(child)

    # --- reading rows ------------------------------------------------------------------------------
    def needed_relations(self, row_set):
        spec = row_set.spec
        return [
            relation
            for relation in spec.relations
            if relation.kind not in (LINKS, EMPTY)
            and (relation.name in spec.rendered or relation.name in row_set.traversed)
        ]

    def selection(self, row_set, prefix=None):
        """What rows of ``row_set`` are read with: (columns, annotations). ``prefix``: the
        relation the rows are joined through, for ``joined``."""
        spec = row_set.spec
        if spec.needs_instance:
            columns = {field.attname for field in spec.model._meta.concrete_fields}
        else:
            columns = {attribute.column for attribute in spec.attributes if attribute.name in spec.rendered}
        annotations = {}
        for relation in self.needed_relations(row_set):
            if relation.kind == TO_ONE:
                columns.add(relation.column)
                if relation.guarded:
                    outer = relation.column if prefix is None else f"{prefix}__{relation.column}"
                    shown = self.shown(relation).filter(pk=OuterRef(outer))
                    annotations[_shown_key(relation.name)] = Exists(shown)
        for attribute in spec.attributes:
            if attribute.annotation is None or attribute.name not in spec.rendered:
                continue
            if prefix is None:
                annotations[_annotation_key(attribute.name)] = attribute.annotation
            else:
                rows = spec.model._base_manager.filter(pk=OuterRef(f"{prefix}__pk"))
                annotations[_annotation_key(attribute.name)] = Subquery(
                    rows.annotate(_fast_value=attribute.annotation).values("_fast_value")[:1]
                )
        condition = spec.private_condition
        if spec.private_names and condition is not True and condition is not False:
            if prefix is None:
                annotations[PRIVATE] = _condition(condition)
            else:
                rows = spec.model._base_manager.filter(condition).filter(pk=OuterRef(f"{prefix}__pk"))
                annotations[PRIVATE] = Exists(rows)
        columns.discard(None)
        return columns, annotations

    def joined_values(self, child_set, prefix):
        """Expressions reading the rows of ``child_set`` through the relation ``prefix``."""
        columns, annotations = self.selection(child_set, prefix=prefix)
        values = {f"_j_{prefix}_{column}": F(f"{prefix}__{column}") for column in {*columns, "pk"}}
        values.update({f"_j_{prefix}_{key}": expression for key, expression in annotations.items()})
        return values

    def joined(self, row_set):
        """The to-one relations of ``row_set`` whose included rows are read along with its rows
        (a join, as ``select_related`` would): those walked through, to rows that need no
        private-field rule of their own."""
        if not hasattr(row_set, "joins"):
            row_set.joins = []
            for relation in row_set.spec.relations:
                if relation.kind != TO_ONE or relation.name not in row_set.traversed:
                    continue
                row_set.joins.append((relation, self.included_set(self.child_spec(row_set.spec, relation))))
        return row_set.joins

    def row_query(self, row_set, queryset, extra=()):
        """``queryset`` as the ``values()`` the rows of ``row_set`` are rendered from (with the
        columns ``extra``, and the rows of its ``joined`` relations)."""
        columns, annotations = self.selection(row_set)
        columns.update(extra)
        for relation, child_set in self.joined(row_set):
            annotations.update(self.joined_values(child_set, relation.name))
        return queryset.values("pk", *sorted(columns), **annotations)

    def keep(self, row_set, rows):
        """Keep ``rows`` of ``row_set``, and the rows of its joined relations they carry."""
        joins = self.joined(row_set)
        for row in rows:
            row_set.rows[row["pk"]] = row
        for relation, child_set in joins:
            prefix = f"_j_{relation.name}_"
            key = f"{prefix}pk"
            shown = _shown_key(relation.name)
            for row in rows:
                if key not in row or row[key] is None or not row.get(shown, True) or row[key] in child_set.rows:
                    continue
                child_set.rows[row[key]] = {
                    name[len(prefix) :]: value for name, value in row.items() if name.startswith(prefix)
                }

    def fetch(self, row_set, pks):
        """Rows ``pks`` of ``row_set`` not read yet: one query (in batches for huge sets)."""
        missing = sorted(pk for pk in pks if pk not in row_set.rows)
        manager = row_set.spec.model._base_manager
        for batch in _batches(missing):
            self.keep(row_set, list(self.row_query(row_set, manager.filter(pk__in=batch))))

    def relate(self, row_set, pks, sources=None):
        """Relationship data of rows ``pks`` of ``row_set`` (read for the rows whose data is not
        loaded yet). ``sources``: the same rows as a queryset, for the primary rows."""
        missing = [pk for pk in pks if pk not in row_set.related]
        if not missing:
            return
        row_set.related.update(missing)
        for table in row_set.spec.tables:
            table.load(self.context, missing)
        batches = [sources] if sources is not None else [list(batch) for batch in _batches(sorted(missing))]
        for relation in self.needed_relations(row_set):
            if relation.kind == ROWS:
                self.table_targets(row_set, relation, missing)
                continue
            if relation.kind == TO_ONE:
                key = _shown_key(relation.name)
                found = row_set.one[relation.name]
                for pk in missing:
                    row = row_set.rows[pk]
                    found[pk] = row[relation.column] if row.get(key, True) else None
                continue
            for batch in batches:
                if relation.kind == COMPUTED:
                    self.computed_targets(row_set, relation, batch, missing)
                else:
                    self.many_targets(row_set, relation, batch, missing)

    def computed_targets(self, row_set, relation, sources, pks):
        """The first row of the relation's queryset per source names the target; included
        targets are read along (a join)."""
        queryset, source, target = relation.computed
        columns = [source, target] + ([f"{target}__deleted_at"] if relation.guarded else [])
        child_set, joined = None, {}
        if relation.name in row_set.traversed:
            child_set = self.included_set(self.child_spec(row_set.spec, relation))
            joined = self.joined_values(child_set, target)
        found = row_set.one[relation.name]
        seen = set()
        prefix = f"_j_{target}_"
        for values in queryset.filter(**{f"{source}__in": sources}).values(*columns, **joined):
            if values[source] in seen:
                continue
            seen.add(values[source])
            shown = not relation.guarded or values[f"{target}__deleted_at"] is None
            found[values[source]] = values[target] if shown else None
            if shown and child_set is not None and values[target] not in child_set.rows:
                child_set.rows[values[target]] = {
                    name[len(prefix) :]: value for name, value in values.items() if name.startswith(prefix)
                }
        for pk in pks:
            found.setdefault(pk, None)

    def table_targets(self, row_set, relation, pks):
        """The targets a ``RowTable`` lists for rows ``pks`` (loaded for them already)."""
        field = relation.field
        found = row_set.many[relation.name]
        for pk in pks:
            entry = field.row_table.get(self.context, pk)
            if entry is None:
                row_set.withheld[relation.name].add(pk)
                found[pk] = []
            else:
                found[pk] = [target.pk for target in entry.get(field.row_key, [])]

    def many_targets(self, row_set, relation, sources, pks):
        through, source, target = relation.through
        visible = self.visible(relation)
        ordering = visible.query.order_by or relation.target_model._meta.ordering
        source_column = through._meta.get_field(source).attname
        target_column = through._meta.get_field(target).attname
        # EXISTS per link rather than ``IN (visible rows)``: SQLite plans the latter badly next
        # to the sources' subquery (seconds instead of milliseconds).
        links = (
            through._default_manager.filter(**{f"{source}__in": sources})
            .filter(Exists(visible.filter(pk=OuterRef(target_column))))
            .order_by(*(_prefixed(term, target) for term in ordering))
        )
        found = row_set.many[relation.name]
        for pk in pks:
            found.setdefault(pk, [])
        for source_pk, target_pk in links.values_list(source_column, target_column):
            if source_pk in found:
                found[source_pk].append(target_pk)

    # --- rendering ---------------------------------------------------------------------------------
    def resource(self, row_set, pk):
        """The resource object of row ``pk``, as the library's renderer builds it."""
        spec = row_set.spec
        key = str(pk)
        obj = {"type": spec.type, "id": key}
        attributes = self.attributes(spec, row_set.rows[pk], self.is_private(row_set, pk), pk)
        if attributes:
            obj["attributes"] = attributes
        relationships = {
            relation.wire: self.relationship(row_set, pk, key, relation)
            for relation in spec.relations
            if relation.name in spec.rendered
        }
        if relationships:
            obj["relationships"] = relationships
        return obj

    def attributes(self, spec, row, private, pk):
        """The attributes object of ``row`` (the private set when ``private``)."""
        instance = None
        attributes = {}
        for attribute in spec.shown_private if private else spec.shown:
            if attribute.annotation is not None:
                value = row[_annotation_key(attribute.name)]
                if value is not None and attribute.convert is not None:
                    value = attribute.convert(value)
                attributes[attribute.wire] = value
            elif attribute.flag is not None:
                entry = attribute.flag.row_table.get(self.context, pk)
                if entry is not None:
                    attributes[attribute.wire] = bool(entry.get(attribute.flag.row_key))
            elif attribute.column is None:
                if instance is None:
                    instance = spec.model(**{f.attname: row[f.attname] for f in spec.model._meta.concrete_fields})
                value = attribute.convert.get_attribute(instance)
                attributes[attribute.wire] = None if value is None else attribute.convert.to_representation(value)
            else:
                value = row[attribute.column]
                if value is None or attribute.convert is None:
                    attributes[attribute.wire] = value
                else:
                    attributes[attribute.wire] = attribute.convert(value)
        return attributes

    def relationship(self, row_set, pk, key, relation):
        """The relationship object of ``relation`` for row ``pk`` (``key`` is its id string)."""
        links = relation.links_for(key)
        if relation.kind == LINKS:
            return {"links": links} if links else {}
        if relation.kind == EMPTY:
            return {**({"links": links} if links else {}), "data": None if relation.empty is None else []}
        serialized = relation.name in row_set.spec.serialized
        if relation.kind == ROWS:
            if not serialized or pk in row_set.withheld[relation.name]:
                return {"links": links} if links else {}
            targets = row_set.many[relation.name][pk]
            data = {"links": links} if links else {}
            data["data"] = [{"type": relation.type, "id": str(target)} for target in targets]
            data["meta"] = {"count": len(targets)}
            return data
        if relation.kind == TO_MANY:
            data = {}
            if serialized:
                targets = row_set.many[relation.name][pk]
                data["meta"] = {"count": len(targets)}
                data["data"] = [{"type": relation.type, "id": str(target)} for target in targets]
            else:
                data["data"] = None
            if links:
                data["links"] = links
            return data
        data = {"links": links} if links else {}
        target = row_set.one[relation.name][pk] if serialized else None
        data["data"] = None if target is None else {"type": relation.type, "id": str(target)}
        return data

    def is_private(self, row_set, pk):
        spec = row_set.spec
        if not spec.private_names:
            return False
        condition = spec.private_condition
        return not (condition if isinstance(condition, bool) else row_set.rows[pk][PRIVATE])

    def represented(self, row_set, pk):
        """Does the serializer's representation of the row hold anything? (The library does not
        include a to-one target whose representation is empty, e.g. ``fields[type]=``.)"""
        spec = row_set.spec
        keys = spec.serialized - {relation.name for relation in spec.relations if relation.kind == LINKS}
        if self.is_private(row_set, pk):
            keys = keys - set(spec.private_names)
        return bool(keys)

    def document_data(self, pks):
        """(data, included) for the primary rows ``pks``, in order."""
        included = defaultdict(dict)
        walked = set()
        built = {}

        def item(row_set, pk):
            key = (row_set.spec.type, pk)
            if key not in built:
                built[key] = self.resource(row_set, pk)
            return built[key]

        data = [item(self.root_set, pk) for pk in pks]
        for pk in pks:
            self.walk(self.tree, self.root_set, pk, (included, walked, item))
        for obj in data:
            included.get(obj["type"], {}).pop(obj["id"], None)
        rendered = [
            included[name][key] for name in sorted(included) for key in sorted(included[name])
        ]
        return data, rendered

    def walk(self, node, row_set, pk, state):
        """Put into ``included`` what the include tree below ``node`` reaches from row ``pk``
        (``state``: the included objects by type and id, the walked (type, id, paths), ``item``)."""
        included, walked, item = state
        for relation in node.spec.relations:
            child = node.children.get(relation.name)
            if child is None:
                continue
            child_set = child.row_set
            if relation.kind in (TO_MANY, ROWS):
                for target in row_set.many[relation.name][pk]:
                    included[child.spec.type][str(target)] = item(child_set, target)
                    memo = (child.spec.type, target, tuple(child.paths))
                    if memo not in walked:
                        walked.add(memo)
                        self.walk(child, child_set, target, state)
                continue
            if relation.name not in node.spec.serialized:
                continue
            target = row_set.one[relation.name][pk]
            if target is None or str(target) in included[child.spec.type]:
                continue
            if not self.represented(child_set, target):
                continue
            included[child.spec.type][str(target)] = item(child_set, target)
            self.walk(child, child_set, target, state)

    # --- the two actions ---------------------------------------------------------------------------
    def read(self, root_queryset, rows):
        """Load the primary ``rows`` (from ``root_queryset``) and everything the include paths
        may reach from them, position by position (breadth first). Returns the primary keys."""
        pks = [row["pk"] for row in rows]
        self.keep(self.root_set, rows)
        self.tree.pks = set(pks)
        self.relate(self.root_set, pks, sources=root_queryset.values("pk"))
        queue = [self.tree]
        while queue:
            node = queue.pop(0)
            for name, child in node.children.items():
                if node.spec.relation[name].kind in (TO_MANY, ROWS):
                    targets = node.row_set.many[name]
                    for pk in node.pks:
                        child.pks.update(targets[pk])
                else:
                    targets = node.row_set.one[name]
                    child.pks.update(target for pk in node.pks if (target := targets[pk]) is not None)
                self.fetch(child.row_set, child.pks)
                self.relate(child.row_set, child.pks)
                queue.append(child)
        return pks

    def document(self, data, included, links=None, meta=None):
        """The top-level members, in the library renderer's order."""
        document = {}
        if links:
            document["links"] = links
        document["data"] = data
        if self.paths:
            document["included"] = included
        if meta:
            document["meta"] = format_field_names(meta)
        return document
