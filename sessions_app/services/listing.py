"""Reading an event's sessions for the organizer table: which columns sort and how, the
filters, the search, the pages, and the prefetches that keep trashed tracks, types and rooms out
of sight. Sorting and filtering happen in SQL over every matching session; a page is then one
slice of that order, so a page of 50 costs the same whatever the event's size."""
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Case, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Lower

from openevent.users.models import User

from ..models import Speaker


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    expression: object
    #: Cells hold numbers: the script compares them as numbers, not as text.
    numeric: bool = False


# A session's track, type and room, and its proposer, may be in the trash while the session still
# points at them. Pages read them through prefetches, which go through the live-only managers, so a
# trashed one reads as None (``select_related`` would hand back the trashed row).
LIVE_TARGETS = ("track", "session_type", "microlocation")


def live_targets(sessions, *extra):
    return sessions.prefetch_related(*LIVE_TARGETS, *(Prefetch(name, queryset=User.objects.all()) for name in extra))


def live_name(relation):
    """The name of a session's ``relation`` for sorting: empty when it is in the trash."""
    return Lower(Case(When(**{f"{relation}__deleted_at__isnull": True}, then=F(f"{relation}__name"))))


# The sessions table's columns, each sortable. Text sorts without regard to case; empty cells come
# last in either direction; equal cells keep the order of creation (the primary key).
SESSION_COLUMNS = (
    SortColumn("title", "Title", Lower("title")),
    SortColumn("speakers", "Speakers", Lower("first_speaker")),
    SortColumn("track", "Track", live_name("track")),
    SortColumn("type", "Type", live_name("session_type")),
    SortColumn("room", "Room", live_name("microlocation")),
    SortColumn("state", "State", F("state")),
    SortColumn("starts", "Starts", F("starts_at")),
    SortColumn("submitted", "Submitted", F("submitted_at")),
    SortColumn("modified", "Last modified", F("last_modified_at")),
)
# The review figures, shown (and sortable) only to those who manage the event's reviews
# (``rules.can_manage_reviews``); the rows then carry ``queries.review_stats``, the annotation the
# API reads too. A session without reviews has 0 reviews, a count like any other (first when
# ascending), and no score, an empty cell that comes last in either direction.
REVIEW_COLUMNS = (
    SortColumn("reviews", "Reviews", F("review_count"), numeric=True),
    SortColumn("score", "Score", F("average_rating"), numeric=True),
)
SORTABLE = {column.key: column for column in SESSION_COLUMNS + REVIEW_COLUMNS}
DEFAULT_SORT = "title"


def table_columns(reviews):
    """The table's columns: with the review figures when ``reviews`` (the viewer manages them)."""
    return SESSION_COLUMNS + REVIEW_COLUMNS if reviews else SESSION_COLUMNS


def parse_sort(value, columns=SESSION_COLUMNS):
    """``?sort=submitted`` or ``?sort=-submitted`` as (column key, descending); keys that are not
    among ``columns`` give the default order."""
    value = value or DEFAULT_SORT
    key = value.removeprefix("-")
    if key not in {column.key for column in columns}:
        return DEFAULT_SORT, False
    return key, value.startswith("-")


def sort_sessions(sessions, key, descending):
    if key == "speakers":
        first = Speaker.objects.filter(sessions=OuterRef("pk")).order_by(Lower("name"), "id").values("name")[:1]
        sessions = sessions.annotate(first_speaker=Subquery(first))
    expression = SORTABLE[key].expression
    if descending:
        return sessions.order_by(expression.desc(nulls_last=True), "-pk")
    return sessions.order_by(expression.asc(nulls_last=True), "pk")


def search_sessions(sessions, text):
    """Sessions whose title or abstracts contain ``text``, or one of whose speakers' names does."""
    by_speaker = Speaker.sessions.through.objects.filter(
        speaker__name__icontains=text, speaker__deleted_at__isnull=True
    ).values("session_id")
    return sessions.filter(
        Q(title__icontains=text)
        | Q(short_abstract__icontains=text)
        | Q(long_abstract__icontains=text)
        | Q(pk__in=by_speaker)
    )


FILTER_FIELDS = {"state": "state", "track": "track_id", "type": "session_type_id", "room": "microlocation_id"}


def filter_sessions(sessions, filters):
    for name, field in FILTER_FIELDS.items():
        if name in filters:
            sessions = sessions.filter(**{field: filters[name]})
    if filters.get("q"):
        sessions = search_sessions(sessions, filters["q"])
    return sessions


# --- pages ------------------------------------------------------------------------------------------
PAGE_SIZES = (25, 50, 100, 200)
DEFAULT_PAGE_SIZE = 50
ALL = "all"


def parse_page_size(value):
    """``?size=100`` as rows per page, ``?size=all`` as ``None`` (every row on one page); anything
    else, the default."""
    if value == ALL:
        return None
    try:
        size = int(value)
    except (TypeError, ValueError):
        return DEFAULT_PAGE_SIZE
    return size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE


def parse_page_number(value):
    """``?page=3`` as 3; a missing, non-numeric or non-positive number is the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def page_of(sessions, size, number):
    """Page ``number`` of the ordered ``sessions``, ``size`` rows a page (``None``: all of them on
    one page). A number past the end is the last page. Two queries for a page (the count, then the
    slice), one for all rows, plus the queryset's prefetches."""
    if size is None:
        rows = list(sessions)
        return Paginator(rows, max(len(rows), 1)).page(1)
    paginator = Paginator(sessions, size)
    return paginator.page(min(parse_page_number(number), paginator.num_pages))
