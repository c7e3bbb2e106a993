"""The review figures in the organizers' sessions table: a "Reviews" (count) and a "Score" (mean,
one decimal) column for those who manage the event's reviews (co-organizers and up, admins),
sortable like every other column; nobody else at the event sees them or sorts by them."""
import re

import pytest
from django.urls import reverse

from events.services import reviews as reviewer_services
from sessions_app.services import write_review
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db

MANAGERS = ("owner", "organizer", "coorganizer", "admin")
READERS = ("moderator", "track_organizer", "registrar")


@pytest.fixture
def w():
    """Four pending proposals with 3, 1, 2 and no reviews, whose mean scores are 2.33…, 0, 3 and
    none (the scale is 0–3)."""
    w = ReviewWorld()
    registrar = w.people["registrar"]
    reviewer_services.mark_reviewer(w.owner, w.event, registrar)
    w.own_session.title, w.other.title, w.reviewer_speaks.title = "Kotlin", "Haskell", "Elixir"
    for session in (w.own_session, w.other, w.reviewer_speaks):
        session.save(update_fields=["title"])
    w.unreviewed = SessionFactory(event=w.event, state="pending", track=w.track, title="Fortran")
    write_review(w.all_reviewer, w.own_session, 3)
    write_review(w.track_reviewer, w.own_session, 2)
    write_review(registrar, w.own_session, 2)
    write_review(w.all_reviewer, w.other, 0)
    write_review(w.track_reviewer, w.reviewer_speaks, 3)
    write_review(registrar, w.reviewer_speaks, 3)
    return w


def table(client, w, who, **params):
    client.force_login(w.people[who])
    response = client.get(reverse("session-list", args=[w.event.identifier]), params)
    assert response.status_code == 200
    return response


def cells(response):
    """{title: (reviews cell, score cell)} as the table shows them."""
    html = response.content.decode()
    rows = re.findall(r'<tr data-pk="\d+">(.*?)</tr>', html, re.DOTALL)
    shown = {}
    for row in rows:
        title = re.search(r'class="session-title">([^<]+)</a>', row).group(1)
        numbers = re.findall(r'<td class="numeric" data-sort-value="([^"]*)">(.*?)</td>', row, re.DOTALL)
        shown[title] = [(value, re.sub(r"<[^>]+>", "", text).strip()) for value, text in numbers]
    return shown


def titles(response):
    return re.findall(r'class="session-title">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("who", MANAGERS)
def test_managers_see_each_sessions_review_count_and_mean_score(client, w, who):
    response = table(client, w, who)
    html = response.content.decode()
    for label in ("Reviews", "Score"):
        assert f'>{label}<span class="sort-indicator"' in html, label
    assert cells(response) == {
        # (sort value, shown): counts as they are, the mean with one decimal, no score as a dash.
        "Elixir": [("2", "2"), ("3.000000", "3.0")],
        "Fortran": [("0", "0"), ("", "—")],
        "Haskell": [("1", "1"), ("0.000000", "0.0")],
        "Kotlin": [("3", "3"), ("2.333333", "2.3")],
    }
    # The headings tell the script to compare numbers, not text ("10" after "9").
    assert re.search(r'data-sort-key="score" data-sort-type="number" class="numeric">', html)
    assert re.search(r'data-sort-key="reviews" data-sort-type="number" class="numeric">', html)


@pytest.mark.parametrize("who", READERS)
def test_team_members_who_do_not_manage_reviews_see_no_figures_and_cannot_sort_by_them(client, w, who):
    for sort in ("score", "-score", "reviews", "-reviews"):
        response = table(client, w, who, sort=sort)
        html = response.content.decode()
        assert 'data-sort-key="score"' not in html
        assert 'data-sort-key="reviews"' not in html
        assert 'class="numeric"' not in html
        assert ">Score<" not in html
        # An order they may not ask for is the default one, by title.
        assert titles(response) == ["Elixir", "Fortran", "Haskell", "Kotlin"], sort
        assert '<input type="hidden" name="sort" value="title">' in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("score", ["Haskell", "Kotlin", "Elixir", "Fortran"]),  # 0.0, 2.3, 3.0, (none)
        ("-score", ["Elixir", "Kotlin", "Haskell", "Fortran"]),  # no score stays last
        ("reviews", ["Fortran", "Haskell", "Elixir", "Kotlin"]),  # 0, 1, 2, 3 reviews
        ("-reviews", ["Kotlin", "Elixir", "Haskell", "Fortran"]),
    ],
)
def test_the_table_sorts_by_score_and_by_review_count(client, w, sort, expected):
    response = table(client, w, "coorganizer", sort=sort)
    assert titles(response) == expected
    # The same order on a page of a longer table (the server sorts; the script does not).
    paged = table(client, w, "coorganizer", sort=sort, size="25")
    assert titles(paged) == expected


def test_equal_scores_follow_the_order_of_creation_reversed_with_the_order(client, w):
    # As every column of the table (and its script): ties by primary key, descending with -pk.
    tie = SessionFactory(event=w.event, state="pending", track=w.other_track, title="Ada")
    write_review(w.all_reviewer, tie, 3)  # 3.0, as Elixir, made later
    assert titles(table(client, w, "owner", sort="score")) == ["Haskell", "Kotlin", "Elixir", "Ada", "Fortran"]
    assert titles(table(client, w, "owner", sort="-score")) == ["Ada", "Elixir", "Kotlin", "Haskell", "Fortran"]


def test_sorting_by_score_marks_the_heading_and_offers_the_reverse_order(client, w):
    html = table(client, w, "owner", sort="score", state="pending").content.decode()
    assert re.search(
        r'data-sort-key="score" data-sort-type="number" class="numeric" aria-sort="ascending">\s*'
        r'<a class="sort-link" href="\?sort=-score&amp;state=pending"',
        html,
    )
    assert re.search(
        r'data-sort-key="reviews" data-sort-type="number" class="numeric">\s*'
        r'<a class="sort-link" href="\?sort=reviews&amp;state=pending"',
        html,
    )
    assert '<input type="hidden" name="sort" value="score">' in html
