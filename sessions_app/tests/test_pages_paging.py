"""The organizer sessions table in pages: 50 sessions a page by default, a size chooser (25, 50,
100, 200 or all), page links that keep the sort, filters and search, a sort over every matching
session before the page is cut, forgiving page numbers, bulk changes that come back to the same
page, and a constant number of queries however many sessions the event has."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Session, Speaker
from sessions_app.tests.helpers import Program

pytestmark = pytest.mark.django_db

COUNT = 120


@pytest.fixture
def owner(client):
    """An owner's client on a published event without sessions."""
    program = Program()
    program.own_session.delete()
    client.force_login(program.people["owner"])
    client.program = program
    client.event = program.event
    return client


def address(event):
    return reverse("session-list", args=[event.identifier])


def speaker_rank(n):
    """Session ``n``'s speaker sorts at this position (a permutation of 0..COUNT-1)."""
    return (n * 37) % COUNT


def make_sessions(event, program, count=COUNT, start=0):
    """``count`` sessions "Talk 000" … (from number ``start``) with one speaker each; session ``n`` was submitted ``n``
    minutes ago, is pending when ``n`` is a multiple of 3 (accepted otherwise), and has "odd" or
    "even" in its title."""
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Talk {n:03d} {'odd' if n % 2 else 'even'}",
            state="pending" if n % 3 == 0 else "accepted",
            track=program.track, session_type=program.session_type, microlocation=program.room,
            submitted_at=now - datetime.timedelta(minutes=n), last_modified_at=now,
        )
        for n in range(start, start + count)
    )  # fmt: skip
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, name=f"Speaker {speaker_rank(n):03d}", email=f"s{n}@example.org")
        for n in range(start, start + count)
    )
    through = Speaker.sessions.through
    through.objects.bulk_create(
        through(session_id=s.pk, speaker_id=p.pk) for s, p in zip(sessions, speakers, strict=True)
    )
    return sessions


def title(n):
    return f"Talk {n:03d} {'odd' if n % 2 else 'even'}"


def shown(response):
    """Titles in the order the table shows them."""
    return re.findall(r'class="session-title">([^<]+)</a>', response.content.decode())


def count_line(response):
    return re.search(r'<p class="muted" id="session-count">([^<]*)</p>', response.content.decode()).group(1)


def page_hrefs(response):
    """The page links' addresses (ampersands unescaped), by their text."""
    nav = re.search(r'<nav class="pagination".*?</nav>', response.content.decode(), re.S)
    if not nav:
        return {}
    links = re.findall(r'<a href="([^"]+)"[^>]*>(?:<span class="visually-hidden">Page </span>)?([^<]+)', nav.group(0))
    return {text: href.replace("&amp;", "&") for href, text in links}


# --- pages and their sizes ---------------------------------------------------------------------------
def test_the_first_page_shows_50_sessions_and_the_count_of_all(owner):
    make_sessions(owner.event, owner.program)
    response = owner.get(address(owner.event))
    assert response.status_code == 200
    assert shown(response) == [title(n) for n in range(50)]
    assert count_line(response) == "Showing 1–50 of 120 sessions"
    assert list(page_hrefs(response)) == ["1", "2", "3", "Next"]
    assert page_hrefs(response)["Next"] == "?page=2"
    html = response.content.decode()
    assert 'aria-current="page"><span class="visually-hidden">Page </span>1</a>' in html
    # A page of a longer list is not sorted in place by the script: its headings ask the server.
    assert '<table class="table sessions-table">' in html


def test_the_second_and_the_last_page(owner):
    make_sessions(owner.event, owner.program)
    second = owner.get(address(owner.event), {"page": 2})
    assert shown(second) == [title(n) for n in range(50, 100)]
    assert count_line(second) == "Showing 51–100 of 120 sessions"
    assert list(page_hrefs(second)) == ["Previous", "1", "2", "3", "Next"]

    last = owner.get(address(owner.event), {"page": 3})
    assert shown(last) == [title(n) for n in range(100, 120)]
    assert count_line(last) == "Showing 101–120 of 120 sessions"
    assert list(page_hrefs(last)) == ["Previous", "1", "2", "3"]


def test_all_sessions_on_one_page(owner):
    make_sessions(owner.event, owner.program)
    response = owner.get(address(owner.event), {"size": "all", "page": 2})
    assert shown(response) == [title(n) for n in range(COUNT)]
    assert count_line(response) == "120 sessions"
    assert page_hrefs(response) == {}
    # Every matching session is in the table, so the script may sort it in place.
    assert '<table class="table sessions-table" data-sortable>' in response.content.decode()


def test_a_short_list_is_one_page_without_page_links(owner):
    make_sessions(owner.event, owner.program, count=3)
    response = owner.get(address(owner.event))
    assert shown(response) == [title(n) for n in range(3)]
    assert count_line(response) == "3 sessions"
    assert page_hrefs(response) == {}


@pytest.mark.parametrize(
    ("number", "expected_page"),
    [
        ("abc", 1),
        ("", 1),
        ("0", 1),
        ("-3", 1),
        ("2.5", 1),
        ("1e3", 1),
        ("3", 3),
        ("4", 3),
        ("99999999999999999999999", 3),
    ],
)
def test_a_page_number_out_of_range_or_not_a_number_gives_the_first_or_the_last_page(owner, number, expected_page):
    make_sessions(owner.event, owner.program)
    response = owner.get(address(owner.event), {"page": number})
    assert response.status_code == 200
    first = (expected_page - 1) * 50
    assert shown(response) == [title(n) for n in range(first, min(first + 50, COUNT))]


def test_an_empty_table_on_any_page_number(owner):
    response = owner.get(address(owner.event), {"page": 7, "size": "25"})
    assert response.status_code == 200
    assert "This event has no sessions yet." in response.content.decode()
    assert count_line(response) == "0 sessions"


@pytest.mark.parametrize(
    ("size", "rows", "pages"),
    [("25", 25, 5), ("50", 50, 3), ("100", 100, 2), ("200", 120, 1), ("all", 120, 1), ("7", 50, 3), ("lots", 50, 3)],
)
def test_the_page_size_chooser(owner, size, rows, pages):
    make_sessions(owner.event, owner.program)
    response = owner.get(address(owner.event), {"size": size})
    assert response.status_code == 200
    assert shown(response) == [title(n) for n in range(rows)]
    assert response.context["page"].paginator.num_pages == pages
    html = response.content.decode()
    chosen = size if size in ("25", "50", "100", "200", "all") else "50"
    options = re.findall(r'<option value="([^"]+)"( selected)?>', html.split('name="size"', 1)[1].split("</select>")[0])
    assert [value for value, _ in options] == ["25", "50", "100", "200", "all"]
    assert [value for value, selected in options if selected] == [chosen]


def test_the_size_chooser_is_a_get_form_that_keeps_sort_and_filters_and_starts_again_at_page_one(owner):
    make_sessions(owner.event, owner.program)
    response = owner.get(address(owner.event), {"sort": "-submitted", "state": "accepted", "q": "talk", "page": "2"})
    html = response.content.decode()
    form = re.search(r'<form method="get" class="page-size".*?</form>', html, re.S).group(0)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    assert hidden == [("sort", "-submitted"), ("state", "accepted"), ("q", "talk")]
    assert '<label for="id_size">Sessions per page</label>' in form
    # The filter form carries a chosen size (not the default) and starts again at page one.
    html = owner.get(address(owner.event), {"size": "25", "page": "2"}).content.decode()
    filters = re.search(r'<form method="get" class="form filters".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="size" value="25">' in filters
    assert 'name="page"' not in filters


# --- sorting, filters and search across pages -------------------------------------------------------------
def by_submitted(descending):
    # Session n was submitted n minutes ago: oldest first is the highest n first.
    return list(range(COUNT)) if descending else list(reversed(range(COUNT)))


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("title", list(range(COUNT))),
        ("-title", list(reversed(range(COUNT)))),
        ("submitted", by_submitted(descending=False)),
        ("-submitted", by_submitted(descending=True)),
        ("speakers", sorted(range(COUNT), key=speaker_rank)),
        ("-speakers", sorted(range(COUNT), key=speaker_rank, reverse=True)),
        # Pending (n a multiple of 3) after accepted; equal states keep the order of creation.
        ("state", [n for n in range(COUNT) if n % 3] + [n for n in range(COUNT) if n % 3 == 0]),
    ],
)
def test_the_sort_covers_every_session_before_the_page_is_cut(owner, sort, order):
    make_sessions(owner.event, owner.program)
    second = owner.get(address(owner.event), {"sort": sort, "page": 2})
    assert shown(second) == [title(n) for n in order[50:100]]
    last = owner.get(address(owner.event), {"sort": sort, "page": 3, "size": "50"})
    assert shown(last) == [title(n) for n in order[100:]]


def test_page_links_keep_the_sort_filters_and_search_and_headings_start_again_at_page_one(owner):
    make_sessions(owner.event, owner.program)
    params = {"sort": "-submitted", "state": "accepted", "q": "talk", "size": "25", "page": "2"}
    response = owner.get(address(owner.event), params)
    hrefs = page_hrefs(response)
    assert hrefs["Next"] == "?sort=-submitted&state=accepted&q=talk&size=25&page=3"
    assert hrefs["Previous"] == "?sort=-submitted&state=accepted&q=talk&size=25&page=1"
    html = response.content.decode()
    assert re.search(
        r'data-sort-key="title">\s*<a class="sort-link" href="\?sort=title&amp;state=accepted&amp;q=talk&amp;size=25"',
        html,
    )
    assert re.search(
        r'data-sort-key="submitted" aria-sort="descending">\s*'
        r'<a class="sort-link" href="\?sort=submitted&amp;state=accepted',
        html,
    )


def test_filters_and_search_page_through_the_matching_sessions_only(owner):
    make_sessions(owner.event, owner.program)
    # 60 odd titles: the second page holds the last 10 of them.
    response = owner.get(address(owner.event), {"q": "odd", "page": 2})
    assert shown(response) == [title(n) for n in range(COUNT) if n % 2][50:]
    assert count_line(response) == "Showing 51–60 of 60 sessions"
    assert page_hrefs(response)["1"] == "?q=odd&page=1"

    # 40 pending sessions, 25 a page, newest first: page 2 holds the 15 oldest of them.
    pending = [n for n in range(COUNT) if n % 3 == 0]
    response = owner.get(address(owner.event), {"state": "pending", "sort": "-submitted", "size": "25", "page": "2"})
    assert shown(response) == [title(n) for n in pending[25:]]
    assert count_line(response) == "Showing 26–40 of 40 sessions"
    assert "Matching sessions" in response.content.decode()

    # Both at once: odd and pending means n ≡ 3 (mod 6), 20 sessions, one page.
    response = owner.get(address(owner.event), {"state": "pending", "q": "odd", "page": "2"})
    assert shown(response) == [title(n) for n in range(3, COUNT, 6)]
    assert count_line(response) == "20 sessions"


def test_clear_filters_keeps_the_sort_and_the_size(owner):
    make_sessions(owner.event, owner.program)
    html = owner.get(
        address(owner.event), {"state": "pending", "sort": "-title", "size": "100", "page": "2"}
    ).content.decode()
    assert f'href="{address(owner.event)}?sort=-title&amp;size=100">Clear filters</a>' in html
    html = owner.get(address(owner.event), {"state": "pending"}).content.decode()
    assert f'href="{address(owner.event)}?sort=title">Clear filters</a>' in html


# --- bulk changes from a later page --------------------------------------------------------------------------
def test_bulk_accept_from_the_second_page_returns_to_it(owner):
    sessions = make_sessions(owner.event, owner.program)
    query = "?sort=-submitted&state=pending&size=25&page=2"
    pending = [n for n in range(COUNT) if n % 3 == 0]  # newest first: page 2 is pending[25:40]
    ticked = [sessions[pending[25]], sessions[pending[26]]]

    response = owner.post(address(owner.event) + query, {"action": "accepted", "sessions": [s.pk for s in ticked]})

    assert response.status_code == 302
    assert response["Location"] == address(owner.event) + query
    assert set(Session.objects.filter(pk__in=[s.pk for s in ticked]).values_list("state", flat=True)) == {"accepted"}
    assert Session.objects.filter(event=owner.event, state="pending").count() == 38
    page = owner.get(response["Location"])
    assert f"Accepted 2 sessions: “{ticked[0].title}”, “{ticked[1].title}”." in page.content.decode()
    assert shown(page) == [title(n) for n in pending[27:]]
    assert count_line(page) == "Showing 26–38 of 38 sessions"


def test_a_bulk_change_that_empties_the_last_page_comes_back_to_the_new_last_page(owner):
    sessions = make_sessions(owner.event, owner.program)
    pending = [n for n in range(COUNT) if n % 3 == 0]
    query = "?state=pending&size=25&page=2"
    response = owner.post(
        address(owner.event) + query, {"action": "accepted", "sessions": [sessions[n].pk for n in pending[25:]]}
    )
    assert response["Location"] == address(owner.event) + query
    page = owner.get(response["Location"])
    assert page.status_code == 200
    assert shown(page) == [title(n) for n in pending[:25]]
    assert count_line(page) == "25 sessions"


# --- a constant number of queries --------------------------------------------------------------------------
# The login session and its user, the event and the user's roles there, its tracks, types and rooms
# (for the filters), the count and the page of sessions, the page's tracks, types, rooms and
# speakers, the user's pending invitations (the navigation's badge) and unread notifications (the
# bell). All rows on one page need no count.
PAGED_QUERIES = 15


@pytest.mark.parametrize(
    ("params", "rows", "expected"),
    [
        ({}, 50, PAGED_QUERIES),
        ({"sort": "-speakers", "q": "talk", "state": "accepted", "page": "3"}, 20, PAGED_QUERIES),
        ({"size": "all"}, COUNT, PAGED_QUERIES - 1),
    ],
)
def test_the_sessions_table_runs_a_pinned_number_of_queries_with_one_or_many_sessions(
    owner, django_assert_num_queries, params, rows, expected
):
    event, program = owner.event, owner.program
    make_sessions(event, program, count=1)
    Session.objects.filter(event=event).update(state="accepted")
    with django_assert_num_queries(expected):
        response = owner.get(address(event), params)
    assert len(shown(response)) == 1

    make_sessions(event, program, count=COUNT - 1, start=1)
    Session.objects.filter(event=event).update(state="accepted")
    with django_assert_num_queries(expected):
        response = owner.get(address(event), params)
    assert len(shown(response)) == rows
