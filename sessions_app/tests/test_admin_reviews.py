"""Django admin for reviews: administrators read them, correct a score or a comment and delete
one, through ``sessions_app.services`` (``update_review``, ``delete_review``); nobody adds one
here, and the list runs a pinned number of queries whatever its size."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.models import Review
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db

MANY = 3
# The session, the user, two counts (the filtered rows and the whole table), the page's rows with
# their session, event and reviewer; then the events of the event filter and the date hierarchy's
# range and days.
QUERIES = 8


def reviewed_world(**kwargs):
    """A review world whose moderator reviewed two sessions and whose track organizer one."""
    world = ReviewWorld(**kwargs)
    world.review, _ = services.write_review(world.all_reviewer, world.own_session, 2, "Solid proposal.")
    services.write_review(world.all_reviewer, world.other, 1)
    services.write_review(world.track_reviewer, world.own_session, 3, "Yes please.")
    return world


@pytest.fixture
def world():
    return reviewed_world(name="Review Conf")


@pytest.fixture
def admin_browser(client):
    client.force_login(UserFactory(is_admin=True))
    return client


def count_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:sessions_app_review_changelist"))
    assert response.status_code == 200
    return len(ctx)


def test_the_review_list_runs_the_same_pinned_number_of_queries_for_one_and_many_events(admin_browser):
    reviewed_world()
    one = count_queries(admin_browser)
    for _ in range(MANY - 1):
        reviewed_world()
    assert Review.objects.count() == MANY * 3

    assert (one, count_queries(admin_browser)) == (QUERIES, QUERIES)


def test_the_review_list_shows_session_event_reviewer_and_score_and_filters_by_event(admin_browser, world):
    elsewhere = reviewed_world(name="Elsewhere Conf")
    url = reverse("admin:sessions_app_review_changelist")

    page = admin_browser.get(url).content.decode()
    filtered = admin_browser.get(url, {"session__event__id__exact": str(world.event.pk)})
    found = admin_browser.get(url, {"q": world.track_reviewer.email})

    assert world.own_session.title in page
    assert world.all_reviewer.email in page
    assert '<td class="field-event">Review Conf</td>' in page
    assert '<td class="field-score">2</td>' in page
    assert {review.session.event_id for review in filtered.context["cl"].result_list} == {world.event.pk}
    assert filtered.context["cl"].result_count == 3
    assert [review.reviewer for review in found.context["cl"].result_list] == [world.track_reviewer]
    assert elsewhere.event.name in page


def test_an_administrator_corrects_a_review_through_the_service(admin_browser, world):
    review = world.review
    url = reverse("admin:sessions_app_review_change", args=[review.pk])
    page = admin_browser.get(url)
    assert set(page.context["adminform"].form.fields) == {"score", "comment"}

    response = admin_browser.post(url, change_form_data(
        page, score="0", comment="  Off topic.  ", reviewer=str(world.owner.pk), session=str(world.other.pk)
    ))  # fmt: skip

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    review.refresh_from_db()
    assert (review.score, review.comment) == (0, "Off topic.")
    assert (review.session, review.reviewer) == (world.own_session, world.all_reviewer)


def test_an_administrator_corrects_a_review_after_the_phase_ended(admin_browser, world):
    world.end_reviews()
    url = reverse("admin:sessions_app_review_change", args=[world.review.pk])

    response = admin_browser.post(url, change_form_data(admin_browser.get(url), score="3"))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    world.review.refresh_from_db()
    assert world.review.score == 3


@pytest.mark.parametrize("score", ["4", "-1"])
def test_a_score_off_the_scale_is_a_form_error_and_nothing_changes(admin_browser, world, score):
    url = reverse("admin:sessions_app_review_change", args=[world.review.pk])

    response = admin_browser.post(url, change_form_data(admin_browser.get(url), score=score, comment="Changed"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["score"] == ["The score must be between 0 and 3."]
    assert "The score must be between 0 and 3." in response.content.decode()
    world.review.refresh_from_db()
    assert (world.review.score, world.review.comment) == (2, "Solid proposal.")


def test_reviews_are_never_added_in_admin(admin_browser, world):
    before = Review.objects.count()
    url = reverse("admin:sessions_app_review_add")

    assert admin_browser.get(url).status_code == 403
    posted = admin_browser.post(url, {"session": world.reviewer_speaks.pk, "reviewer": world.all_reviewer.pk,
                                      "score": "1"})  # fmt: skip
    assert posted.status_code == 403
    assert Review.objects.count() == before


def test_a_review_is_deleted_through_the_service_one_or_many(admin_browser, world):
    response = admin_browser.post(reverse("admin:sessions_app_review_delete", args=[world.review.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Review.objects.filter(pk=world.review.pk).exists()
    rest = list(Review.objects.filter(session__event=world.event).values_list("pk", flat=True))
    assert len(rest) == 2

    bulk = admin_browser.post(
        reverse("admin:sessions_app_review_changelist"),
        {"action": "delete_selected", "_selected_action": rest, "post": "yes"},
    )
    assert bulk.status_code == 302
    assert not Review.objects.filter(pk__in=rest).exists()


@pytest.mark.parametrize("who", ["stranger", "owner", "coorganizer", "moderator", "speaker"])
def test_anyone_but_an_administrator_is_sent_to_the_admin_login(client, world, who):
    """Organizers read reviews and reviewers write theirs on the review pages, not here."""
    client.force_login(world.people[who])
    review = world.review

    for url in (
        reverse("admin:sessions_app_review_changelist"),
        reverse("admin:sessions_app_review_change", args=[review.pk]),
        reverse("admin:sessions_app_review_delete", args=[review.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    changed = client.post(reverse("admin:sessions_app_review_change", args=[review.pk]), {"score": "0"})
    deleted = client.post(reverse("admin:sessions_app_review_delete", args=[review.pk]), {"post": "yes"})
    assert changed.status_code == deleted.status_code == 302
    review.refresh_from_db()
    assert review.score == 2
