"""``review-count`` and ``average-rating`` on the session resource: the number of reviews and the
mean score, for those who manage the event's reviews (co-organizer and up, admins); null for
everyone else (reviewers included), on the library and the fast read path alike."""
import pytest
from django.test import override_settings

from sessions_app.services import write_review
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db

MANAGERS = ("owner", "organizer", "coorganizer", "admin")
OTHERS = ("anonymous", "plain", "speaker", "moderator", "track_organizer", "registrar", "other_organizer")


@pytest.fixture
def w():
    w = ReviewWorld()
    write_review(w.all_reviewer, w.own_session, 3)
    write_review(w.track_reviewer, w.own_session, 2)
    return w


def figures(api, user, url, fast, hidden_ok=False):
    api.as_user(user)
    with override_settings(API_FAST_READS=fast):
        response = api.get(url)
    if hidden_ok and response.status_code == 404:  # a pending proposal outsiders do not see
        return {}
    assert response.status_code == 200, response.json_body
    data = response.json_body["data"]
    rows = data if isinstance(data, list) else [data]
    rows += response.json_body.get("included", [])
    return {
        int(row["id"]): (row["attributes"]["review-count"], row["attributes"]["average-rating"])
        for row in rows
        if row["type"] == "session"
    }


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("viewer", MANAGERS + OTHERS)
def test_figures_on_the_session_list_and_detail(api, w, viewer, fast):
    user = w.people[viewer]
    base = f"/v1/events/{w.event.pk}/sessions"
    listed = figures(api, user, base, fast)
    detail = figures(api, user, f"/v1/sessions/{w.own_session.pk}", fast, hidden_ok=viewer not in MANAGERS)
    if viewer in MANAGERS:
        assert listed[w.own_session.pk] == (2, 2.5)
        assert listed[w.other.pk] == (0, None)
        assert detail == {w.own_session.pk: (2, 2.5)}
    else:
        assert {value for row in listed.values() for value in row} <= {None}
        assert detail.get(w.own_session.pk, (None, None)) == (None, None)


@pytest.mark.parametrize("fast", [False, True])
def test_figures_on_included_sessions(api, w, fast):
    url = f"/v1/speakers/{w.speaker.pk}?include=sessions"
    assert figures(api, w.people["coorganizer"], url, fast) == {w.own_session.pk: (2, 2.5)}
    assert figures(api, w.people["moderator"], url, fast) == {w.own_session.pk: (None, None)}


def test_a_write_answers_with_the_figures(api, w):
    api.as_user(w.people["organizer"])
    body = {"data": {"type": "session", "id": str(w.own_session.pk), "attributes": {"title": "Renamed"}}}
    response = api.patch(f"/v1/sessions/{w.own_session.pk}", body)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["review-count"] == 2
    assert response.json_body["data"]["attributes"]["average-rating"] == 2.5


def test_the_figures_cannot_be_written(api, w):
    api.as_user(w.people["organizer"])
    body = {"data": {"type": "session", "id": str(w.own_session.pk), "attributes": {"review-count": 99}}}
    api.patch(f"/v1/sessions/{w.own_session.pk}", body)
    response = api.get(f"/v1/sessions/{w.own_session.pk}")
    assert response.json_body["data"]["attributes"]["review-count"] == 2
