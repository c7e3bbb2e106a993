"""The fast read path: GET list and detail of resources whose viewsets use ``FastReadMixin``.

The library path (djangorestframework-jsonapi) renders a document by running a serializer per row
and per included row, over model instances and their prefetches. This package renders the very
same document (the sameness test in ``openevent/api/tests/test_fast_sameness.py`` compares the
parsed JSON of both paths) from plain rows:

- ``specs``: one ``ResourceSpec`` per serializer class, derived from its declarations (fields,
  relationship fields and their links, ``included_serializers``, the resource type, the private
  fields rule the serializer declares with ``private_rule()``);
- ``reader``: rows fetched with ``values()`` from the viewset's own queryset (visibility, filters
  and sort as SQL), to-many ids from the through table with one query per relation and type,
  each included type fetched once; the compound document assembled from dicts, following the
  library's include rules exactly but visiting each (row, include paths) pair once;
- ``views``: the ``FastReadMixin`` for viewsets, which falls back to the library for anything it
  does not cover.

Resources plug in with hooks in their own ``api`` modules: a serializer's ``private_rule()`` and
``computed_relation(name)``, a viewset's ``shown_targets(queryset)``.
"""
