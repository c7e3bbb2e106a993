"""SQL ``LIKE`` patterns of the JSON filter, matched by the database itself.

A pattern used to become an anchored regular expression (``%`` as ``.*``); on SQLite that runs in
Python's backtracking ``re``, and ``%e%e%e%e%e%e%Q`` against long text took minutes with the GIL
held. The databases' own matchers do not blow up like that (SQLite and PostgreSQL give up on a
``%`` as soon as the rest of the pattern cannot match any later position), so patterns go to them:

- ``like`` is case-sensitive: ``LIKE`` on PostgreSQL, ``GLOB`` on SQLite (whose ``LIKE`` ignores
  ASCII case), with the literals of the pattern bracketed so ``*``, ``?`` and ``[`` stay literal;
- ``ilike`` ignores case: ``ILIKE`` on PostgreSQL, ``LIKE`` on SQLite (ASCII case only, like
  Django's own ``icontains`` there), ``UPPER(…) LIKE UPPER(…)`` elsewhere.

The value a lookup receives is a normalized LIKE pattern (``normalized``): ``%`` and ``_`` are
wildcards, and a backslash precedes each literal ``%``, ``_`` or backslash.
"""
from django.db.models import Field, Lookup

#: A pattern may be at most this long and hold at most this many ``%`` wildcards.
MAX_LENGTH = 200
MAX_WILDCARDS = 5

ANY = ("%",)
ONE = ("_",)


def tokens(pattern):
    """The pieces of a LIKE pattern: literal strings and the wildcards ``ANY`` and ``ONE``.
    A backslash makes the next character literal; runs of ``%`` count as one."""
    pieces = []
    literal = ""
    characters = iter(pattern)
    for char in characters:
        if char == "\\":
            literal += next(characters, "\\")
        elif char in "%_":
            if literal:
                pieces.append(literal)
                literal = ""
            if not (char == "%" and pieces and pieces[-1] == ANY):
                pieces.append((char,))
        else:
            literal += char
    if literal:
        pieces.append(literal)
    return pieces


def normalized(pieces):
    """``tokens`` back as a LIKE pattern with backslash escapes."""
    return "".join(
        piece[0] if isinstance(piece, tuple) else piece.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        for piece in pieces
    )


def glob_pattern(like):
    """A normalized LIKE pattern as the SQLite GLOB pattern that matches the same strings."""
    glob = []
    for piece in tokens(like):
        if piece == ANY:
            glob.append("*")
        elif piece == ONE:
            glob.append("?")
        else:
            glob.append("".join(f"[{char}]" if char in "*?[" else char for char in piece))
    return "".join(glob)


class _PatternLookup(Lookup):
    """``field__like=pattern`` / ``field__ilike=pattern`` with a normalized LIKE pattern."""

    prepare_rhs = False  # the pattern is text whatever the column is
    insensitive = False

    def column(self, compiler, connection):
        sql, params = self.process_lhs(compiler, connection)
        internal_type = self.lhs.output_field.get_internal_type()
        # Non-text columns compare as text, as Django's ``contains`` does.
        return connection.ops.lookup_cast("contains", internal_type) % sql, params

    def as_sql(self, compiler, connection):
        lhs, params = self.column(compiler, connection)
        if self.insensitive:
            return f"UPPER({lhs}) LIKE UPPER(%s) ESCAPE '\\'", [*params, self.rhs]
        return f"{lhs} LIKE %s ESCAPE '\\'", [*params, self.rhs]

    def as_postgresql(self, compiler, connection):
        lhs, params = self.column(compiler, connection)
        # Backslash is PostgreSQL's default escape character.
        return f"{lhs} {'ILIKE' if self.insensitive else 'LIKE'} %s", [*params, self.rhs]

    def as_sqlite(self, compiler, connection):
        lhs, params = self.column(compiler, connection)
        if self.insensitive:
            return f"{lhs} LIKE %s ESCAPE '\\'", [*params, self.rhs]
        return f"{lhs} GLOB %s", [*params, glob_pattern(self.rhs)]


@Field.register_lookup
class Like(_PatternLookup):
    lookup_name = "like"


@Field.register_lookup
class ILike(_PatternLookup):
    lookup_name = "ilike"
    insensitive = True
