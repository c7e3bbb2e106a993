"""/v1/reviews and /v1/sessions/<id>/reviews: who reads, writes, changes and deletes reviews.

A second POST for a session the reviewer reviewed already changes their review and answers 200
(one review per reviewer and session), it is never a second row.
"""
import pytest

from openevent.api.tests.documents import assert_error, ids, pointers, rel, resource_doc
from sessions_app.models import Review
from sessions_app.services import write_review
from sessions_app.tests.factories import SessionFactory
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return ReviewWorld()


def review_doc(session, id=None, **attributes):
    relationships = {"session": rel("session", session.pk)} if session is not None else None
    return resource_doc("review", attributes, id=id, relationships=relationships)


# --- create ----------------------------------------------------------------------------------------
def test_a_reviewer_posts_a_review(api, w):
    api.as_user(w.all_reviewer)
    response = api.post("/v1/reviews", review_doc(w.own_session, score=2, comment="Solid"))
    assert response.status_code == 201, response.json_body
    data = response.json_body["data"]
    assert data["type"] == "review"
    assert data["attributes"]["score"] == 2
    assert data["attributes"]["comment"] == "Solid"
    assert {"created-at", "updated-at"} <= set(data["attributes"])
    assert data["relationships"]["session"]["data"] == {"type": "session", "id": str(w.own_session.pk)}
    assert data["relationships"]["reviewer"]["data"] == {"type": "user", "id": str(w.all_reviewer.pk)}
    assert response["Location"].endswith(f"/v1/reviews/{data['id']}")


def test_a_second_post_changes_the_review(api, w):
    api.as_user(w.all_reviewer)
    first = api.post("/v1/reviews", review_doc(w.own_session, score=1))
    second = api.post("/v1/reviews", review_doc(w.own_session, score=3, comment="Better"))
    assert second.status_code == 200, second.json_body
    assert second.json_body["data"]["id"] == first.json_body["data"]["id"]
    assert Review.objects.get().score == 3


@pytest.mark.parametrize("score", [-1, 4, 100])
def test_a_score_outside_the_scale_is_422_at_its_pointer(api, w, score):
    api.as_user(w.all_reviewer)
    response = api.post("/v1/reviews", review_doc(w.own_session, score=score))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/score"]
    assert not Review.objects.exists()


def test_a_missing_score_or_session_is_422(api, w):
    api.as_user(w.all_reviewer)
    response = api.post("/v1/reviews", review_doc(w.own_session))
    assert_error(response, 422)
    assert "/data/attributes/score" in pointers(response)
    response = api.post("/v1/reviews", review_doc(None, score=1))
    assert_error(response, 422)
    assert "/data/relationships/session" in pointers(response)


def test_an_unknown_or_hidden_session_is_422(api, w):
    api.as_user(w.all_reviewer)
    unknown = resource_doc("review", {"score": 1}, relationships={"session": rel("session", 999999)})
    response = api.post("/v1/reviews", unknown)
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/session"]
    elsewhere = SessionFactory(state="pending")
    response = api.post("/v1/reviews", review_doc(elsewhere, score=1))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/session"]


@pytest.mark.parametrize(
    ("who", "session", "status"),
    [
        ("anonymous", "own_session", 401),
        ("stranger", "own_session", 422),  # the pending session is hidden from them
        ("speaker", "own_session", 403),
        ("registrar", "own_session", 403),
        ("owner", "own_session", 403),
        ("track_organizer", "other", 403),
        ("moderator", "reviewer_speaks", 403),
    ],
)
def test_the_wrong_users_cannot_post(api, w, who, session, status):
    api.as_user(w.people[who])
    assert_error(api.post("/v1/reviews", review_doc(getattr(w, session), score=1)), status)
    assert not Review.objects.exists()


def test_nothing_is_posted_after_the_review_phase(api, w):
    w.end_reviews()
    api.as_user(w.all_reviewer)
    assert_error(api.post("/v1/reviews", review_doc(w.own_session, score=1)), 403)
    assert not Review.objects.exists()


def test_a_wrong_type_is_409(api, w):
    api.as_user(w.all_reviewer)
    body = resource_doc("session", {"score": 1}, relationships={"session": rel("session", w.own_session.pk)})
    assert_error(api.post("/v1/reviews", body), 409)


# --- read ------------------------------------------------------------------------------------------
@pytest.fixture
def written(w):
    return {
        "all": write_review(w.all_reviewer, w.own_session, 1)[0],
        "track": write_review(w.track_reviewer, w.own_session, 3, "Yes!")[0],
        "other": write_review(w.all_reviewer, w.other, 2)[0],
    }


@pytest.mark.parametrize("who", ["owner", "organizer", "coorganizer", "admin"])
def test_organizers_read_every_review_of_their_event(api, w, written, who):
    api.as_user(w.people[who])
    assert ids(api.get("/v1/reviews")) == {str(r.pk) for r in written.values()}
    response = api.get(f"/v1/sessions/{w.own_session.pk}/reviews")
    assert response.status_code == 200
    assert ids(response) == {str(written["all"].pk), str(written["track"].pk)}
    assert api.get(f"/v1/reviews/{written['track'].pk}").status_code == 200


def test_reviewers_read_their_own_reviews_only(api, w, written):
    api.as_user(w.track_reviewer)
    assert ids(api.get("/v1/reviews")) == {str(written["track"].pk)}
    assert ids(api.get(f"/v1/sessions/{w.own_session.pk}/reviews")) == {str(written["track"].pk)}
    assert_error(api.get(f"/v1/reviews/{written['all'].pk}"), 404)


@pytest.mark.parametrize("who", ["speaker", "stranger", "registrar", "other_organizer"])
def test_speakers_and_outsiders_see_no_review(api, w, written, who):
    api.as_user(w.people[who])
    assert ids(api.get("/v1/reviews")) == set()
    assert_error(api.get(f"/v1/reviews/{written['all'].pk}"), 404)
    response = api.get(f"/v1/sessions/{w.own_session.pk}/reviews")
    if response.status_code == 200:
        assert ids(response) == set()
    else:
        assert_error(response, 404)


def test_anonymous_readers_are_turned_away(api, w, written):
    assert_error(api.get("/v1/reviews"), 401)
    assert_error(api.get(f"/v1/reviews/{written['all'].pk}"), 401)


def test_reviews_of_an_unknown_session_are_404(api, w):
    api.as_user(w.owner)
    assert_error(api.get("/v1/sessions/999999/reviews"), 404)
    assert_error(api.get("/v1/sessions/abc/reviews"), 404)


def test_reviews_filter_by_session_and_event(api, w, written):
    api.as_user(w.owner)
    response = api.get("/v1/reviews", **{"filter[session]": str(w.other.pk)})
    assert ids(response) == {str(written["other"].pk)}
    response = api.get("/v1/reviews", **{"filter[session.event]": str(w.event.pk)})
    assert ids(response) == {str(r.pk) for r in written.values()}
    response = api.get("/v1/reviews", **{"filter[score.gte]": "2"})
    assert ids(response) == {str(written["track"].pk), str(written["other"].pk)}


def test_related_routes_of_a_review(api, w, written):
    api.as_user(w.owner)
    response = api.get(f"/v1/reviews/{written['all'].pk}/session")
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["id"] == str(w.own_session.pk)
    response = api.get(f"/v1/reviews/{written['all'].pk}/relationships/reviewer")
    assert response.json_body["data"] == {"type": "user", "id": str(w.all_reviewer.pk)}
    response = api.get(f"/v1/reviews/{written['all'].pk}?include=session,reviewer")
    assert {(r["type"], r["id"]) for r in response.json_body["included"]} == {
        ("session", str(w.own_session.pk)), ("user", str(w.all_reviewer.pk))
    }


def test_relationships_are_never_repointed(api, w, written):
    api.as_user(w.all_reviewer)
    url = f"/v1/reviews/{written['all'].pk}/relationships/session"
    assert_error(api.patch(url, {"data": {"type": "session", "id": str(w.other.pk)}}), 403)
    response = api.patch(
        f"/v1/reviews/{written['all'].pk}",
        review_doc(w.other, id=written["all"].pk, score=2),
    )
    assert_error(response, 422)
    assert Review.objects.get(pk=written["all"].pk).session == w.own_session


# --- change and delete -----------------------------------------------------------------------------
def test_the_author_changes_and_deletes_their_review(api, w, written):
    api.as_user(w.all_reviewer)
    url = f"/v1/reviews/{written['all'].pk}"
    changed = resource_doc("review", {"score": 3, "comment": "On second thought"}, id=written["all"].pk)
    response = api.patch(url, changed)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["score"] == 3
    response = api.patch(url, resource_doc("review", {"score": 9}, id=written["all"].pk))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/score"]
    assert Review.objects.get(pk=written["all"].pk).score == 3
    response = api.delete(url)
    assert response.status_code == 200
    assert not Review.objects.filter(pk=written["all"].pk).exists()


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 403), ("track_organizer", 404), ("speaker", 404), ("anonymous", 401)]
)
def test_others_cannot_change_or_delete_a_review(api, w, written, who, status):
    api.as_user(w.people[who])
    url = f"/v1/reviews/{written['all'].pk}"
    assert_error(api.patch(url, resource_doc("review", {"score": 3}, id=written["all"].pk)), status)
    assert_error(api.delete(url), status)
    assert Review.objects.get(pk=written["all"].pk).score == 1


def test_nothing_changes_after_the_review_phase(api, w, written):
    w.end_reviews()
    api.as_user(w.all_reviewer)
    url = f"/v1/reviews/{written['all'].pk}"
    assert_error(api.patch(url, resource_doc("review", {"score": 3}, id=written["all"].pk)), 403)
    assert_error(api.delete(url), 403)
    assert Review.objects.get(pk=written["all"].pk).score == 1
    # Organizers still read them.
    api.as_user(w.owner)
    assert api.get(url).status_code == 200


# --- query counts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("viewer", ["owner", "moderator"])
def test_the_list_runs_a_constant_number_of_queries(api, w, viewer, django_assert_num_queries):
    reviewer = w.all_reviewer
    url = "/v1/reviews?include=session,reviewer"
    api.as_user(w.people[viewer])

    def measure(expected):
        with django_assert_num_queries(expected):
            response = api.get(url)
        assert response.status_code == 200
        return len(response.json_body["data"])

    write_review(reviewer, w.own_session, 1)
    api.get(url)  # warm-up
    expected = QUERIES[viewer]
    assert measure(expected) == 1
    for _ in range(5):
        write_review(reviewer, SessionFactory(event=w.event, state="pending"), 2)
    assert measure(expected) == 6


# The viewer, the count, the reviews, their sessions, the sessions' speakers, the reviewers
# (included), and for a reviewer who reads only the program (no co-organizer) their roles at the
# sessions' event (whether they read its private session fields).
QUERIES = {"owner": 6, "moderator": 7}
