"""A hostile user against reviews, review figures, custom answers and the call-for-papers pages:
every attack here must fail (a refusal with a proper status, nothing written, nothing leaked)."""
import json
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Reviewer, ReviewSettings, UsersEventsRoles
from events.services.custom_forms import ANSWERS_MAX_BYTES, create_field
from openevent.api.tests.documents import assert_error, ids, rel, resource_doc
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Review, Session, Speaker
from sessions_app.services import write_review
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, close_call, session_doc, speaker_doc
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db

SECRET = "private-answer-7f3a"


@pytest.fixture
def w():
    world = ReviewWorld()
    world.review = write_review(world.all_reviewer, world.own_session, 3, "Reviewer comment")[0]
    return world


def review_doc(session, id=None, **attributes):
    return resource_doc("review", attributes, id=id, relationships={"session": rel("session", session.pk)})


def figures(response):
    data = response.json_body["data"]
    rows = data if isinstance(data, list) else [data]
    return {(row["attributes"].get("review-count"), row["attributes"].get("average-rating")) for row in rows}


# --- reading reviews and reviewer identities -----------------------------------------------------------
@pytest.mark.parametrize("who", ["speaker", "track_organizer", "registrar", "stranger"])
def test_no_route_shows_a_speaker_or_bystander_the_reviews(api, w, who):
    api.as_user(w.people[who])
    assert ids(api.get("/v1/reviews")) == set()
    assert_error(api.get(f"/v1/reviews/{w.review.pk}"), 404)
    assert_error(api.get(f"/v1/reviews/{w.review.pk}/reviewer"), 404)
    assert_error(api.get(f"/v1/reviews/{w.review.pk}/relationships/reviewer"), 404)
    nested = api.get(f"/v1/sessions/{w.own_session.pk}/reviews")
    assert nested.status_code in (200, 404)
    assert not (nested.json_body.get("data") if nested.status_code == 200 else None)
    filtered = api.get("/v1/reviews", filter=json.dumps([{"name": "session", "op": "eq", "val": w.own_session.pk}]))
    assert ids(filtered) == set()


@pytest.mark.parametrize("include", ["reviews", "session.reviews", "reviewer"])
def test_sessions_include_no_reviews(api, w, include):
    api.as_user(w.speaker_user)
    response = api.get(f"/v1/sessions/{w.own_session.pk}", include=include)
    assert_error(response, 400)
    assert "Reviewer comment" not in response.content.decode()


def test_sparse_fieldsets_give_a_speaker_no_figures(api, w):
    api.as_user(w.speaker_user)
    fields = {"fields[session]": "review-count,average-rating"}
    assert figures(api.get(f"/v1/sessions/{w.own_session.pk}", **fields)) == {(None, None)}
    assert figures(api.get(f"/v1/events/{w.event.pk}/sessions", **fields)) <= {(None, None)}
    api.as_user(w.track_reviewer)  # a reviewer, not a manager of the reviews
    assert figures(api.get(f"/v1/sessions/{w.own_session.pk}", **fields)) == {(None, None)}


@pytest.mark.parametrize("name", ["reviews__score", "reviews", "review-count", "average-rating", "reviews.score"])
def test_sessions_cannot_be_filtered_by_reviews(api, w, name):
    api.as_user(w.speaker_user)
    clause = [{"name": name, "op": "gt", "val": 0}]
    assert_error(api.get(f"/v1/events/{w.event.pk}/sessions", filter=json.dumps(clause)), 400)
    assert_error(api.get(f"/v1/events/{w.event.pk}/sessions", **{f"filter[{name}]": "1"}), 400)


@pytest.mark.parametrize("who", ["speaker", "track_organizer", "coorganizer"])
@pytest.mark.parametrize("sort", ["average-rating", "-review-count", "reviews.score"])
def test_sessions_cannot_be_sorted_by_their_reviews(api, w, who, sort):
    """No ordering oracle, not even for those who read the figures (they are computed)."""
    api.as_user(w.people[who])
    assert_error(api.get(f"/v1/events/{w.event.pk}/sessions", sort=sort), 400)


def test_review_filters_by_score_tell_a_speaker_nothing(api, w):
    api.as_user(w.speaker_user)
    for op in ("ge", "lt"):
        clause = [{"name": "score", "op": op, "val": 2}, {"name": "session", "op": "eq", "val": w.own_session.pk}]
        assert ids(api.get("/v1/reviews", filter=json.dumps(clause))) == set()


def test_the_sessions_table_hides_scores_from_a_moderator(client, w):
    url = reverse("session-list", args=[w.event.identifier])
    client.force_login(w.owner)
    assert "Score" in client.get(url, {"sort": "-score"}).content.decode()
    client.force_login(w.all_reviewer)
    response = client.get(url, {"sort": "-score"})
    assert response.status_code == 200
    assert "Score" not in response.content.decode()
    assert "3.0" not in response.content.decode()


def test_reviews_sort_and_filter_by_nothing_private(api, w):
    api.as_user(w.all_reviewer)
    for sort in ("reviewer.email", "session.average-rating", "session.review-count"):
        assert_error(api.get("/v1/reviews", sort=sort), 400)
    clause = [{"name": "reviewer", "op": "has", "val": {"name": "email", "op": "eq", "val": "x"}}]
    assert_error(api.get("/v1/reviews", filter=json.dumps(clause)), 400)
    assert api.get(f"/v1/sessions/{w.own_session.pk}", **{"fields[session]": "average-rating"}).json_body[
        "data"]["attributes"] == {"average-rating": None}  # fmt: skip


@pytest.mark.parametrize("params", [
    {"filter[session]": "abc"}, {"filter[score]": "abc"}, {"filter[score.gt]": "9" * 40},
    {"filter[updated-at.gt]": "nope"}, {"filter[session.in]": "1,x"}, {"filter[session.in]": "1," + "9" * 30},
    {"filter[score.lte]": "-" + "9" * 40}, {"filter[session]": "9" * 30}, {"filter": "[{"},
    {"filter": json.dumps([{"name": "score", "op": "gt", "val": "x"}])},
    {"filter": json.dumps([{"name": "session", "op": "eq", "val": 10**40}])},
    {"include": "session.speakers.sessions.speakers"}, {"page[size]": "-1"}, {"page[number]": "9" * 20},
])  # fmt: skip
def test_odd_review_list_parameters_are_refused_never_500(api, w, params):
    api.as_user(w.owner)
    assert api.get("/v1/reviews", **params).status_code in (200, 400, 404)


@pytest.mark.parametrize("who", ["owner", "speaker", "moderator"])
def test_the_admin_of_reviews_and_forms_is_for_staff_only(client, w, who):
    client.force_login(w.people[who])
    for url in ("/admin/sessions_app/review/", f"/admin/sessions_app/review/{w.review.pk}/change/",
                "/admin/events/customform/", "/admin/events/reviewer/", "/admin/events/reviewsettings/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    client.post(f"/admin/sessions_app/review/{w.review.pk}/delete/", {"post": "yes"})
    assert Review.objects.filter(pk=w.review.pk).exists()


# --- writing reviews -----------------------------------------------------------------------------------
@pytest.mark.parametrize("score", [True, False, 2.5, "two", "", None, [1], {"a": 1}, 10**30, "9" * 5000])
def test_a_bad_score_is_422_and_writes_nothing(api, w, score):
    api.as_user(w.track_reviewer)
    response = api.post("/v1/reviews", review_doc(w.own_session, score=score))
    assert_error(response, 422)
    assert not Review.objects.filter(reviewer=w.track_reviewer).exists()
    api.as_user(w.all_reviewer)
    response = api.patch(f"/v1/reviews/{w.review.pk}", review_doc(w.own_session, id=w.review.pk, score=score))
    assert_error(response, 422)
    assert Review.objects.get(pk=w.review.pk).score == 3


def test_a_reviewer_cannot_review_out_of_their_track_or_their_own(api, w):
    api.as_user(w.track_reviewer)
    assert_error(api.post("/v1/reviews", review_doc(w.other, score=1)), 403)
    api.as_user(w.all_reviewer)
    assert_error(api.post("/v1/reviews", review_doc(w.reviewer_speaks, score=1)), 403)
    assert Review.objects.count() == 1


def test_a_review_cannot_be_moved_to_another_session_or_reviewer(api, w):
    api.as_user(w.all_reviewer)
    body = review_doc(w.other, id=w.review.pk, score=1)
    body["data"]["relationships"]["reviewer"] = rel("user", w.track_reviewer.pk)
    response = api.patch(f"/v1/reviews/{w.review.pk}", body)
    assert_error(response, 422)
    moved = {"data": rel("session", w.other.pk)["data"]}
    assert api.patch(f"/v1/reviews/{w.review.pk}/relationships/session", moved).status_code in (403, 405)
    row = Review.objects.get(pk=w.review.pk)
    assert (row.session_id, row.reviewer_id, row.score) == (w.own_session.pk, w.all_reviewer.pk, 3)


def test_another_reviewer_cannot_change_or_delete_a_review(api, w):
    api.as_user(w.track_reviewer)
    assert_error(api.patch(f"/v1/reviews/{w.review.pk}", review_doc(w.own_session, id=w.review.pk, score=1)), 404)
    assert_error(api.delete(f"/v1/reviews/{w.review.pk}"), 404)
    api.as_user(w.owner)  # reads it, never writes it
    assert_error(api.patch(f"/v1/reviews/{w.review.pk}", review_doc(w.own_session, id=w.review.pk, score=1)), 403)
    assert_error(api.delete(f"/v1/reviews/{w.review.pk}"), 403)
    assert Review.objects.get(pk=w.review.pk).score == 3


def test_nothing_is_reviewed_after_the_phase(api, client, w):
    w.end_reviews()
    api.as_user(w.track_reviewer)
    assert_error(api.post("/v1/reviews", review_doc(w.own_session, score=1)), 403)
    client.force_login(w.track_reviewer)
    client.post(reverse("review-page", args=[w.event.identifier]), {"session": w.own_session.pk, "score": 1})
    assert not Review.objects.filter(reviewer=w.track_reviewer).exists()


@pytest.mark.parametrize("how", ["withdrawn", "canceled", "draft", "deleted"])
def test_withdrawn_drafts_and_deleted_sessions_are_not_reviewed(api, client, w, how):
    session = SessionFactory(event=w.event, state="pending", track=w.track)
    if how == "deleted":
        session.soft_delete()
    else:
        Session.all_objects.filter(pk=session.pk).update(state=how)
    api.as_user(w.track_reviewer)
    response = api.post("/v1/reviews", review_doc(session, score=1))
    assert response.status_code in (403, 404, 422)
    client.force_login(w.track_reviewer)
    page = client.post(reverse("review-page", args=[w.event.identifier]), {"session": session.pk, "score": 1})
    assert page.status_code in (200, 403, 404)
    assert not Review.objects.filter(session_id=session.pk).exists()


def test_a_reviewer_without_a_role_any_more_reviews_nothing(api, w):
    UsersEventsRoles.objects.filter(event=w.event, user=w.track_reviewer).delete()
    assert Reviewer.objects.filter(user=w.track_reviewer).exists()
    api.as_user(w.track_reviewer)
    assert api.post("/v1/reviews", review_doc(w.own_session, score=1)).status_code in (403, 422)
    assert not Review.objects.filter(reviewer=w.track_reviewer).exists()


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "1.5", "%00"])
def test_odd_ids_are_404_never_500(api, client, w, pk):
    api.as_user(w.owner)
    assert api.get(f"/v1/reviews/{pk}").status_code == 404
    assert api.get(f"/v1/sessions/{pk}/reviews").status_code == 404
    assert api.delete(f"/v1/reviews/{pk}").status_code == 404
    client.force_login(w.all_reviewer)
    page = client.get(reverse("review-page", args=[w.event.identifier]), {"session": pk})
    assert page.status_code in (200, 404)
    posted = client.post(reverse("review-page", args=[w.event.identifier]), {"session": pk, "score": 1})
    assert posted.status_code in (200, 403, 404)
    assert Review.objects.count() == 1


def test_a_huge_review_session_id_is_422(api, w):
    api.as_user(w.all_reviewer)
    body = resource_doc("review", {"score": 1}, relationships={"session": rel("session", "9" * 30)})
    assert_error(api.post("/v1/reviews", body), 422)
    body["data"]["relationships"]["session"]["data"]["id"] = "x"
    assert_error(api.post("/v1/reviews", body), 422)


def test_malformed_review_bodies_are_400(api, w):
    api.as_user(w.all_reviewer)
    for raw in ("{", "[]", '{"data": 1}', '{"data": {"type": "review", "attributes": []}}'):
        response = api.post("/v1/reviews", raw=raw)
        assert 400 <= response.status_code < 500, raw
    assert Review.objects.count() == 1


def test_review_pages_refuse_speakers_and_track_organizers_their_settings(client, w):
    client.force_login(w.speaker_user)
    assert client.get(reverse("review-page", args=[w.event.identifier])).status_code in (403, 404)
    client.force_login(w.track_reviewer)
    settings_url = reverse("review-settings", args=[w.event.identifier])
    assert client.get(settings_url).status_code == 403
    response = client.post(settings_url, {"score_min": 0, "score_max": 100, "is_anonymous": "on"})
    assert response.status_code == 403
    assert not ReviewSettings.objects.filter(event=w.event, score_max=100).exists()


# --- private answers ----------------------------------------------------------------------------------
@pytest.fixture
def answered(w):
    create_field(w.owner, w.event, {"name": "Secret", "type": "text"})
    create_field(w.owner, w.event, {"name": "Phone", "type": "text", "form": "speaker"})
    Session.objects.filter(pk=w.own_session.pk).update(state="accepted", complex_field_values={"secret": SECRET})
    Speaker.objects.filter(pk=w.speaker.pk).update(complex_field_values={"phone": SECRET}, mobile=SECRET)
    return w


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize("who", ["anonymous", "other_speaker"])
def test_private_answers_never_reach_the_public(api, answered, settings, fast, who):
    w = answered
    settings.API_FAST_READS = fast
    other = UserFactory()
    SpeakerFactory(event=w.event, user=other)
    api.as_user(None if who == "anonymous" else other)
    urls = [
        f"/v1/events/{w.event.pk}/sessions", f"/v1/sessions/{w.own_session.pk}",
        f"/v1/events/{w.event.pk}/speakers", f"/v1/speakers/{w.speaker.pk}",
        f"/v1/sessions/{w.own_session.pk}?include=speakers",
        "/v1/sessions?fields[session]=complex-field-values&fields[speaker]=complex-field-values,mobile"
        "&include=speakers",
    ]
    for url in urls:
        for _ in range(2):  # the second one from the document cache
            response = api.get(url)
            assert response.status_code == 200, (url, response.json_body)
            assert SECRET not in response.content.decode(), url


def test_answers_cannot_be_filtered_on(api, answered):
    api.as_user(None)
    for name in ("complex-field-values", "complex_field_values__secret"):
        clause = [{"name": name, "op": "eq", "val": SECRET}]
        assert_error(api.get(f"/v1/events/{answered.event.pk}/sessions", filter=json.dumps(clause)), 400)
    assert_error(api.get(f"/v1/events/{answered.event.pk}/speakers", sort="mobile"), 400)


# --- the call-for-papers pages -----------------------------------------------------------------------
def test_another_users_proposal_cannot_be_withdrawn_confirmed_edited_or_invited_to(client, w):
    Session.objects.filter(pk=w.own_session.pk).update(state="accepted")
    client.force_login(w.stranger)
    pk = w.own_session.pk
    for name in ("proposal-withdraw", "proposal-confirm", "proposal-edit", "proposal-invite", "cfp-submitted"):
        assert client.post(reverse(name, args=[pk]), {"email": "x@example.org", "title": "Hacked"}).status_code == 404
    session = Session.objects.get(pk=pk)
    assert (session.state, session.title) == ("accepted", w.own_session.title)
    assert not Speaker.objects.filter(email="x@example.org").exists()


def test_co_speaker_invites_are_capped_and_never_repeated(client, w):
    client.force_login(w.speaker_user)
    url = reverse("proposal-invite", args=[w.own_session.pk])
    for index in range(7):
        client.post(url, {"email": f"co{index}@example.org"})
    client.post(url, {"email": "CO0@example.org"})
    client.post(url, {"email": w.speaker_user.email.upper()})
    client.post(url, {"email": "not an address"})
    emails = set(w.own_session.speakers.values_list("email", flat=True))
    assert emails == {w.speaker_user.email, *(f"co{index}@example.org" for index in range(5))}


@pytest.mark.parametrize("pk", ["99999999999999999999999", "0"])
def test_odd_proposal_ids_are_404(client, w, pk):
    client.force_login(w.speaker_user)
    assert client.get(f"/proposals/{pk}/edit").status_code == 404
    assert client.post(f"/proposals/{pk}/withdraw").status_code == 404


@pytest.mark.parametrize("evil", ["//evil.example", "/\\evil.example", "https://evil.example/x", "\\\\evil.example",
                                  "/%09/evil.example", "javascript:alert(1)"])
def test_login_never_redirects_off_site(client, evil):
    user = UserFactory(password="a-long-password-1")
    response = client.post(f"/login?next={evil}", {"email": user.email, "password": "a-long-password-1",
                                                   "next": evil})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        location = response["Location"]
        parsed = urlsplit(location)
        assert not parsed.scheme, location
        assert not parsed.netloc, location
        assert location.startswith("/"), location
        assert not location.startswith(("//", "/\\")), location


def test_the_cfp_pages_of_a_draft_event_are_404(client, w):
    w.event.__class__.objects.filter(pk=w.event.pk).update(state="draft")
    client.force_login(w.stranger)
    assert client.get(reverse("cfp", args=[w.event.identifier])).status_code == 404
    before = Session.all_objects.count()
    assert client.post(reverse("cfp-submit", args=[w.event.identifier]), {"session-title": "x"}).status_code == 404
    assert Session.all_objects.count() == before


def test_a_co_speaker_invitation_does_not_lock_the_invitee_out_of_the_call(client, w):
    """Inviting someone's address as a co-speaker made a speaker row for it; the invitee's own
    proposal then clashed with that row ("already is a speaker of this event") and was refused:
    anyone could shut an address out of a call. The invitee's verified address claims the row."""
    victim = UserFactory(email="victim@example.org")
    client.force_login(w.speaker_user)
    client.post(reverse("proposal-invite", args=[w.own_session.pk]), {"email": victim.email})
    assert Speaker.objects.filter(event=w.event, email=victim.email, user=None).exists()
    client.force_login(victim)
    data = {"session-title": "My own talk", "speaker-name": "Victim"}
    response = client.post(reverse("cfp-submit", args=[w.event.identifier]), data)
    assert response.status_code == 302
    own = Session.objects.get(title="My own talk")
    [row] = Speaker.objects.filter(event=w.event, email=victim.email)
    assert row.user == victim
    assert list(own.speakers.all()) == [row]
    assert row in w.own_session.speakers.all()


def test_a_browser_session_cannot_write_reviews_without_the_csrf_token(w):
    """The API takes the session cookie too (SessionAuthentication): a cross-site form posting
    with the reviewer's cookie must be refused, on the plain and the nested routes."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.track_reviewer)
    body = json.dumps(review_doc(w.own_session, score=1))
    assert browser.post("/v1/reviews", body, content_type="application/vnd.api+json").status_code == 403
    nested = f"/v1/sessions/{w.own_session.pk}/reviews"
    assert browser.post(nested, body, content_type="application/vnd.api+json").status_code in (403, 405)
    browser.force_login(w.all_reviewer)
    assert browser.delete(f"/v1/reviews/{w.review.pk}").status_code == 403
    assert browser.post(reverse("review-page", args=[w.event.identifier]),
                        {"session": w.other.pk, "score": 1}).status_code == 403  # fmt: skip
    assert list(Review.objects.values_list("pk", flat=True)) == [w.review.pk]


@pytest.mark.parametrize("how", ["closed", "not_open_yet", "private", "no_call", "sessions_disabled"])
def test_a_closed_or_private_call_takes_no_proposal_from_the_page_or_the_api(client, api, w, how):
    close_call(w, how)
    before = Session.all_objects.count()
    client.force_login(w.stranger)
    data = {"session-title": "Sneaked in", "speaker-name": "Stranger"}
    assert client.post(reverse("cfp-submit", args=[w.event.identifier]), data).status_code == 403
    assert client.post(reverse("cfp-submit", args=[w.event.identifier]) + "?hash=wrong", data).status_code == 403
    api.as_user(w.stranger)
    response = api.post("/v1/sessions", session_doc(w.event, title="Sneaked in", state="pending"))
    assert response.status_code in (403, 422)
    assert Session.all_objects.count() == before


def test_the_review_page_refuses_a_score_outside_the_reviewers_tracks(client, w):
    client.force_login(w.track_reviewer)
    url = reverse("review-page", args=[w.event.identifier])
    assert client.post(url, {"session": w.other.pk, "score": 1}).status_code == 403
    assert client.get(url, {"session": w.other.pk}).status_code == 404
    client.force_login(w.all_reviewer)
    assert client.post(url, {"session": w.reviewer_speaks.pk, "score": 1}).status_code == 403
    assert list(Review.objects.values_list("pk", flat=True)) == [w.review.pk]


def test_a_co_speaker_invitation_does_not_lock_the_invitee_out_of_the_api(api, client, w):
    """The same through the API: the invitee's own profile is the invited row, claimed."""
    victim = UserFactory(email="victim@example.org")
    client.force_login(w.speaker_user)
    client.post(reverse("proposal-invite", args=[w.own_session.pk]), {"email": victim.email})
    api.as_user(victim)
    response = api.post("/v1/speakers", speaker_doc(w.event, name="Victim", email=victim.email))
    assert response.status_code == 201, response.json_body
    [row] = Speaker.objects.filter(event=w.event, email=victim.email)
    assert response.json_body["data"]["id"] == str(row.pk)
    assert (row.user, row.name) == (victim, "Victim")


def test_an_unverified_address_claims_no_invited_row(api, client, w):
    """Whoever registers an address without proving it gets no invited profile with it."""
    client.force_login(w.speaker_user)
    client.post(reverse("proposal-invite", args=[w.own_session.pk]), {"email": "victim@example.org"})
    squatter = UserFactory(email="victim@example.org", is_verified=False)
    api.as_user(squatter)
    response = api.post("/v1/speakers", speaker_doc(w.event, name="Squatter", email=squatter.email))
    assert_error(response, 409)
    assert Speaker.objects.get(event=w.event, email="victim@example.org").user is None


# --- custom answers (events.services.custom_forms.check_answers) -------------------------------------
@pytest.fixture
def program():
    program = Program()
    owner = program.people["owner"]
    create_field(owner, program.event, {"name": "Shirt", "type": "select", "options": ["S", "M"]})
    create_field(owner, program.event, {"name": "Story", "type": "paragraph"})
    create_field(owner, program.event, {"name": "Hidden", "type": "text", "is_included": False})
    create_field(owner, program.event, {"name": "Diet", "type": "text", "form": "speaker"})
    return program


@pytest.mark.parametrize("answers", [
    {"unknown": "x"}, {"shirt": "XL"}, {"shirt": ["S"]}, {"hidden": "sneaky"}, {"story": "x" * (ANSWERS_MAX_BYTES + 1)},
    {f"k{n}": "v" * 100 for n in range(1000)}, ["shirt"], "shirt=S", {"shirt": {"$gt": ""}}, {"story": 5},
    {"diet": "vegan"},
])  # fmt: skip
def test_bad_session_answers_are_refused_and_nothing_changes(api, program, answers):
    user = UserFactory()
    api.as_user(user)
    before = Session.objects.count()
    created = api.post("/v1/sessions", session_doc(program.event, title="T", state="pending",
                                                   **{"complex-field-values": answers}))  # fmt: skip
    assert_error(created, 422)
    assert Session.objects.count() == before
    api.as_user(program.speaker_user)
    changed = api.patch(f"/v1/sessions/{program.own_session.pk}",
                        session_doc(id=program.own_session.pk, **{"complex-field-values": answers}))  # fmt: skip
    assert_error(changed, 422)
    assert Session.objects.get(pk=program.own_session.pk).complex_field_values in ({}, None)


def test_bad_speaker_answers_are_refused(api, program):
    stored = Speaker.objects.get(pk=program.speaker.pk).complex_field_values
    api.as_user(program.speaker_user)
    for answers in ({"diet": "x" * 5000}, {"shirt": "S"}, {"diet": ["a"]}):
        response = api.patch(f"/v1/speakers/{program.speaker.pk}",
                             speaker_doc(id=program.speaker.pk, **{"complex-field-values": answers}))  # fmt: skip
        assert_error(response, 422)
    assert Speaker.objects.get(pk=program.speaker.pk).complex_field_values == stored


def test_markup_in_a_paragraph_answer_is_stored_sanitized(api, program):
    api.as_user(program.speaker_user)
    story = '<p onclick="x()">Hi</p><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:x">l</a>'
    response = api.patch(f"/v1/sessions/{program.own_session.pk}",
                         session_doc(id=program.own_session.pk, **{"complex-field-values": {"story": story}}))
    assert response.status_code == 200, response.json_body
    stored = Session.objects.get(pk=program.own_session.pk).complex_field_values["story"]
    for bad in ("<script", "onclick", "onerror", "javascript:"):
        assert bad not in stored
    assert "Hi" in stored


def test_another_speaker_cannot_write_answers_on_my_rows(api, program):
    stored = Speaker.objects.get(pk=program.speaker.pk).complex_field_values
    intruder = UserFactory()
    api.as_user(intruder)
    response = api.patch(f"/v1/sessions/{program.own_session.pk}",
                         session_doc(id=program.own_session.pk, **{"complex-field-values": {"shirt": "S"}}))
    assert response.status_code in (403, 404)
    response = api.patch(f"/v1/speakers/{program.speaker.pk}",
                         speaker_doc(id=program.speaker.pk, **{"complex-field-values": {"diet": "x"}}))
    assert response.status_code in (403, 404)
    assert Session.objects.get(pk=program.own_session.pk).complex_field_values in ({}, None)
    assert Speaker.objects.get(pk=program.speaker.pk).complex_field_values == stored
