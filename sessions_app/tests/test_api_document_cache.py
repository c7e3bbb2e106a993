"""Anonymous public documents come from the cache (openevent.api.cache, events.api.public_cache):
one or two queries, the same bytes, ETag and 304; every write through the services shows at once;
nobody logged in is ever served or stored; drafts, private events and errors are never cached."""
import json

import pytest
from django.core.cache import cache

from events import services as event_services
from events import versions
from events.models import Event
from events.tests.factories import EventFactory, MicrolocationFactory, give_role
from openevent.users import services as user_services
from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import ids

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("document_cache")]

JSONAPI = "application/vnd.api+json"
PROGRAM = {"include": "speakers,track,microlocation,session-type", "page[size]": "0"}


@pytest.fixture
def public(program):
    """The program's event with two accepted sessions, each with a speaker, in its room."""
    program.sessions = []
    for hour in (1, 3):
        session = SessionFactory(
            event=program.event,
            state="accepted",
            track=program.track,
            microlocation=program.room,
            session_type=program.session_type,
            starts_at=program.at(hour),
            ends_at=program.at(hour + 1),
            comments="Not for the public",
        )
        session.speakers.add(SpeakerFactory(event=program.event, email=f"s{hour}@example.org"))
        program.sessions.append(session)
    return program


@pytest.fixture
def write(api, django_capture_on_commit_callbacks):
    """``write(user, method, url, body)``: a request of ``user`` whose after-commit signals run,
    as they do outside a test's transaction. The anonymous ``api`` client stays anonymous."""
    writer = type(api)()

    def send(user, method, url, body=None):
        writer.as_user(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(writer, method)(url, body)
        assert response.status_code in (200, 201), response.json_body
        return response

    return send


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs a service call's after-commit signals."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def get(api, url, params=None, **headers):
    response = api.client.get(url, params, HTTP_ACCEPT=headers.pop("accept", JSONAPI), **headers)
    is_json = response.content and not response.get("Content-Type", "").startswith("text/html")
    response.json_body = json.loads(response.content) if is_json else None
    return response


def program_url(program, what="sessions", by="identifier"):
    return f"/v1/events/{getattr(program.event, by)}/{what}"


# --- served from the cache -------------------------------------------------------------------------
@pytest.mark.parametrize("by", ["pk", "identifier"])
def test_the_second_anonymous_read_of_the_program_comes_from_the_cache(
    api, public, by, django_assert_max_num_queries, django_assert_num_queries
):
    url = program_url(public, by=by)
    first = get(api, url, PROGRAM)
    assert first.status_code == 200
    assert ids(first) == {str(session.pk) for session in public.sessions}
    assert "comments" not in first.json_body["data"][0]["attributes"]
    # The event (looked up by identifier: once more to find its id) with its version; no other.
    with django_assert_num_queries(1 if by == "pk" else 2):
        second = get(api, url, PROGRAM)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == JSONAPI
    assert second["ETag"] == first["ETag"]
    assert second["ETag"].startswith('"')
    assert second["ETag"].endswith('"')
    assert second["Cache-Control"] == first["Cache-Control"] == "public, max-age=0, must-revalidate"
    for name in ("Accept", "Authorization", "Cookie"):
        assert name in second["Vary"]


@pytest.mark.parametrize(
    "url",
    [
        "/v1/events/{event.identifier}",
        "/v1/events/{event.pk}/speakers",
        "/v1/events/{event.pk}/tracks",
        "/v1/events/{event.pk}/session-types",
        "/v1/events/{event.pk}/microlocations",
        "/v1/events/{event.pk}/sponsors",
        "/v1/events/{event.pk}/social-links",
        "/v1/events/{event.pk}/speakers-call",
        "/v1/sessions/{session.pk}",
        "/v1/speakers/{speaker.pk}",
        "/v1/tracks/{track.pk}",
        "/v1/microlocations/{room.pk}",
        "/v1/speakers-calls/{call.pk}",
    ],
)
def test_every_public_document_of_the_event_is_cached(api, public, url, django_assert_max_num_queries):
    url = url.format(
        event=public.event,
        session=public.sessions[0],
        speaker=public.sessions[0].speakers.get(),
        track=public.track,
        room=public.room,
        call=public.call,
    )
    first = get(api, url)
    assert first.status_code == 200, first.json_body
    with django_assert_max_num_queries(2):
        second = get(api, url)
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_query_strings_differing_only_in_order_are_one_document(api, public, django_assert_max_num_queries):
    url = program_url(public, by="pk")
    first = get(api, f"{url}?include=track&page%5Bsize%5D=0&sort=-starts-at")
    with django_assert_max_num_queries(1):
        second = get(api, f"{url}?sort=-starts-at&page%5Bsize%5D=0&include=track")
    assert second.content == first.content
    other = get(api, f"{url}?include=track&page%5Bsize%5D=0&sort=starts-at")
    assert [row["id"] for row in other.json_body["data"]] == [row["id"] for row in first.json_body["data"]][::-1]


def test_each_media_type_gets_its_own_bytes(api, public):
    url = program_url(public, by="pk")
    as_jsonapi = get(api, url)
    as_json = get(api, url, accept="application/json")
    assert as_json["Content-Type"] == "application/json"
    assert as_jsonapi["Content-Type"] == JSONAPI
    assert get(api, url)["Content-Type"] == JSONAPI
    assert get(api, url, accept="application/json")["Content-Type"] == "application/json"


def test_the_browsable_api_is_never_cached(api, public, django_assert_max_num_queries):
    url = program_url(public, by="pk")
    get(api, url)
    page = get(api, url, accept="text/html")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "ETag" not in page
    assert get(api, url)["Content-Type"] == JSONAPI


def test_the_host_is_part_of_the_key(api, public, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    url = program_url(public, by="pk")
    get(api, url)
    elsewhere = get(api, url, HTTP_HOST="other.example")
    assert b"http://other.example/v1/" in elsewhere.content
    assert b"http://testserver/" not in elsewhere.content
    here = get(api, url).content
    assert b"http://testserver/v1/" in here
    assert b"other.example" not in here


# --- ETag and 304 ----------------------------------------------------------------------------------
def test_if_none_match_answers_304_without_a_body(api, public):
    url = program_url(public)
    etag = get(api, url, PROGRAM)["ETag"]
    for sent in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        answer = get(api, url, PROGRAM, HTTP_IF_NONE_MATCH=sent)
        assert answer.status_code == 304, sent
        assert answer.content == b""
        assert answer["ETag"] == etag
        assert answer["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert get(api, url, PROGRAM, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_fresh_rendering_answers_304_too(api, public, django_assert_max_num_queries):
    url = program_url(public)
    etag = get(api, url)["ETag"]
    cache.clear()
    answer = get(api, url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304
    assert answer.content == b""
    # ... and stored the document it rendered.
    with django_assert_max_num_queries(2):
        assert get(api, url).status_code == 200


def test_a_nested_list_served_through_the_events_related_route_answers_304(api, public):
    """``/v1/events/<id>/sessions`` is served by the session list running inside the event's view."""
    url = program_url(public, by="pk")
    etag = get(api, url)["ETag"]
    answer = get(api, url, HTTP_IF_NONE_MATCH=etag)
    assert answer.status_code == 304
    assert answer.content == b""


# --- every write shows at once ---------------------------------------------------------------------
def test_accepting_a_session_shows_in_the_anonymous_program(api, public, write):
    pending = SessionFactory(event=public.event, state="pending")
    url = program_url(public)
    assert str(pending.pk) not in ids(get(api, url))
    write(public.people["organizer"], "patch", f"/v1/sessions/{pending.pk}", session_patch(pending, state="accepted"))
    assert str(pending.pk) in ids(get(api, url))


def test_a_state_change_through_the_service_shows(api, public, committed):
    pending = SessionFactory(event=public.event, state="pending")
    url = program_url(public)
    assert str(pending.pk) not in ids(get(api, url))
    with committed():
        services.change_state(public.people["organizer"], pending, "accepted")
    assert str(pending.pk) in ids(get(api, url))


def test_moving_a_session_shows(api, public, write):
    session = public.sessions[0]
    other_room = MicrolocationFactory(event=public.event)
    detail = f"/v1/sessions/{session.pk}"
    before = get(api, detail).json_body["data"]
    write(
        public.people["organizer"],
        "patch",
        detail,
        session_patch(
            session,
            attributes={"starts-at": public.iso(5), "ends-at": public.iso(6)},
            relationships={"microlocation": {"data": {"type": "microlocation", "id": str(other_room.pk)}}},
        ),
    )
    after = get(api, detail).json_body["data"]
    assert after["attributes"]["starts-at"] != before["attributes"]["starts-at"]
    assert after["relationships"]["microlocation"]["data"]["id"] == str(other_room.pk)
    listed = {row["id"]: row for row in get(api, program_url(public)).json_body["data"]}
    assert listed[str(session.pk)]["relationships"]["microlocation"]["data"]["id"] == str(other_room.pk)


def test_editing_a_session_shows(api, public, write):
    session = public.sessions[0]
    detail = f"/v1/sessions/{session.pk}"
    get(api, detail)
    write(public.people["organizer"], "patch", detail, session_patch(session, attributes={"title": "Renamed talk"}))
    assert get(api, detail).json_body["data"]["attributes"]["title"] == "Renamed talk"


def test_editing_a_speaker_shows_in_their_list_and_where_they_are_included(api, public, write):
    speaker = public.sessions[0].speakers.get()
    speakers_url = program_url(public, "speakers")
    get(api, speakers_url)
    get(api, program_url(public), PROGRAM)
    write(
        public.people["organizer"],
        "patch",
        f"/v1/speakers/{speaker.pk}",
        {"data": {"type": "speaker", "id": str(speaker.pk), "attributes": {"name": "New Name"}}},
    )
    names = {row["id"]: row["attributes"]["name"] for row in get(api, speakers_url).json_body["data"]}
    assert names[str(speaker.pk)] == "New Name"
    included = get(api, program_url(public), PROGRAM).json_body["included"]
    assert {"type": "speaker", "name": "New Name"} in [
        {"type": row["type"], "name": row["attributes"].get("name")} for row in included
    ]


def test_renaming_a_track_shows(api, public, write):
    tracks_url = program_url(public, "tracks")
    get(api, tracks_url)
    get(api, program_url(public), PROGRAM)
    write(
        public.people["organizer"],
        "patch",
        f"/v1/tracks/{public.track.pk}",
        {"data": {"type": "track", "id": str(public.track.pk), "attributes": {"name": "Renamed track"}}},
    )
    assert get(api, tracks_url).json_body["data"][0]["attributes"]["name"] == "Renamed track"
    included = get(api, program_url(public), PROGRAM).json_body["included"]
    assert "Renamed track" in [row["attributes"]["name"] for row in included if row["type"] == "track"]


def test_editing_the_event_shows(api, public, write):
    by_identifier, by_id = f"/v1/events/{public.event.identifier}", f"/v1/events/{public.event.pk}"
    get(api, by_identifier)
    get(api, by_id)
    write(
        public.people["organizer"],
        "patch",
        by_id,
        {"data": {"type": "event", "id": str(public.event.pk), "attributes": {"name": "Renamed conference"}}},
    )
    assert get(api, by_identifier).json_body["data"]["attributes"]["name"] == "Renamed conference"
    assert get(api, by_id).json_body["data"]["attributes"]["name"] == "Renamed conference"


def test_a_new_session_shows(api, public, write):
    url = program_url(public)
    before = ids(get(api, url))
    created = write(
        public.people["organizer"],
        "post",
        "/v1/sessions",
        {
            "data": {
                "type": "session",
                "attributes": {"title": "A new talk", "state": "accepted"},
                "relationships": {"event": {"data": {"type": "event", "id": str(public.event.pk)}}},
            }
        },
    )
    assert ids(get(api, url)) == before | {created.json_body["data"]["id"]}


def test_trashing_and_restoring_a_session_shows(api, public, write):
    session = public.sessions[0]
    url = program_url(public)
    assert str(session.pk) in ids(get(api, url))
    write(public.people["organizer"], "delete", f"/v1/sessions/{session.pk}")
    assert str(session.pk) not in ids(get(api, url))
    assert get(api, f"/v1/sessions/{session.pk}").status_code == 404
    write(
        public.people["organizer"],
        "patch",
        f"/v1/sessions/{session.pk}",
        {"data": {"type": "session", "id": str(session.pk), "attributes": {"deleted-at": None}}},
    )
    assert str(session.pk) in ids(get(api, url))


def test_trashing_and_restoring_a_track_shows(api, public, write):
    tracks_url = program_url(public, "tracks")
    assert len(get(api, tracks_url).json_body["data"]) == 1
    session_url = f"/v1/sessions/{public.sessions[0].pk}"
    assert get(api, session_url).json_body["data"]["relationships"]["track"]["data"] is not None
    write(public.people["organizer"], "delete", f"/v1/tracks/{public.track.pk}")
    assert get(api, tracks_url).json_body["data"] == []
    assert get(api, session_url).json_body["data"]["relationships"]["track"]["data"] is None
    write(
        public.people["organizer"],
        "patch",
        f"/v1/tracks/{public.track.pk}",
        {"data": {"type": "track", "id": str(public.track.pk), "attributes": {"deleted-at": None}}},
    )
    assert len(get(api, tracks_url).json_body["data"]) == 1


def test_trashing_and_restoring_the_event_shows(api, public, write):
    event_url, sessions_url = f"/v1/events/{public.event.pk}", program_url(public)
    get(api, event_url)
    get(api, sessions_url)
    write(public.people["owner"], "delete", event_url)
    assert get(api, event_url).status_code == 404
    assert get(api, sessions_url).status_code == 404
    write(
        public.people["owner"],
        "patch",
        f"{event_url}?get_trashed=true",
        {"data": {"type": "event", "id": str(public.event.pk), "attributes": {"deleted-at": None}}},
    )
    assert get(api, event_url).status_code == 200
    assert len(ids(get(api, sessions_url))) == 2


def test_unpublishing_the_event_is_404_at_once(api, public, write):
    event_url = f"/v1/events/{public.event.pk}"
    get(api, event_url)
    get(api, program_url(public))
    write(
        public.people["organizer"],
        "patch",
        event_url,
        {"data": {"type": "event", "id": str(public.event.pk), "attributes": {"state": "draft"}}},
    )
    assert get(api, event_url).status_code == 404
    assert get(api, program_url(public)).status_code == 404


def test_linking_a_speaker_shows(api, public, write):
    session = public.sessions[0]
    newcomer = SpeakerFactory(event=public.event, email="new@example.org")
    detail = f"/v1/sessions/{session.pk}"
    assert len(get(api, detail).json_body["data"]["relationships"]["speakers"]["data"]) == 1
    write(
        public.people["organizer"],
        "post",
        f"{detail}/relationships/speakers",
        {"data": [{"type": "speaker", "id": str(newcomer.pk)}]},
    )
    assert len(get(api, detail).json_body["data"]["relationships"]["speakers"]["data"]) == 2
    assert str(newcomer.pk) in ids(get(api, program_url(public, "speakers")))


def test_a_new_part_of_the_event_shows(api, public, committed):
    rooms_url = program_url(public, "microlocations")
    assert len(get(api, rooms_url).json_body["data"]) == 1
    with committed():
        event_services.create_part(public.people["organizer"], type(public.room), public.event, name="Hall B")
    assert len(get(api, rooms_url).json_body["data"]) == 2


def test_the_owners_new_public_name_shows_where_the_owner_is_included(api, public, write):
    owner = public.people["owner"]
    url = f"/v1/events/{public.event.pk}"
    get(api, url, {"include": "owner"})
    renamed = {"data": {"type": "user", "id": str(owner.pk), "attributes": {"public-name": "The Host"}}}
    write(owner, "patch", f"/v1/users/{owner.pk}", renamed)
    included = get(api, url, {"include": "owner"}).json_body["included"]
    assert included[0]["attributes"]["public-name"] == "The Host"


def test_a_speakers_account_deleted_drops_from_their_relationship(api, public, write):
    speaker = public.speaker
    accepted = SessionFactory(event=public.event, state="accepted")
    accepted.speakers.add(speaker)
    url = f"/v1/speakers/{speaker.pk}"
    assert get(api, url).json_body["data"]["relationships"]["user"]["data"] is not None
    write(public.speaker_user, "delete", f"/v1/users/{public.speaker_user.pk}")
    assert get(api, url).json_body["data"]["relationships"]["user"]["data"] is None


def test_an_account_deleted_for_good_drops_from_every_cached_document(api, public, committed):
    """The links of an account deleted for good are gone after commit (SET NULL, CASCADE): the
    versions are bumped while the links can still be read."""
    speaker = public.speaker
    accepted = SessionFactory(event=public.event, state="accepted", creator=public.speaker_user)
    accepted.speakers.add(speaker)
    speakers_url = program_url(public, "speakers")
    sessions_url = program_url(public)
    assert get(api, speakers_url, {"include": "user"}).json_body.get("included")
    before = get(api, sessions_url, {"include": "creator"}).json_body
    assert any(row["type"] == "user" for row in before.get("included", []))
    with committed():
        user_services.delete_user(public.speaker_user, permanent=True)
    assert not get(api, speakers_url, {"include": "user"}).json_body.get("included")
    after = get(api, sessions_url, {"include": "creator"}).json_body
    assert not any(row["type"] == "user" for row in after.get("included", []))


# --- never cached ------------------------------------------------------------------------------------
def test_a_logged_in_reader_is_neither_served_nor_stored(api, public, write):
    organizer = type(api)().as_user(public.people["organizer"])
    url = program_url(public)
    # The organizer first: what they get must not reach the anonymous reader.
    theirs = get(organizer, url)
    assert "comments" in theirs.json_body["data"][0]["attributes"]
    assert "ETag" not in theirs
    anonymous = get(api, url)
    assert "comments" not in anonymous.json_body["data"][0]["attributes"]
    # The anonymous document is cached now; the organizer still gets their own.
    again = get(organizer, url)
    assert "comments" in again.json_body["data"][0]["attributes"]
    assert again.content != anonymous.content
    assert get(organizer, url, HTTP_IF_NONE_MATCH=anonymous["ETag"]).status_code == 200


def test_a_private_event_is_not_cached(api, public, django_assert_max_num_queries):
    Event.objects.filter(pk=public.event.pk).update(privacy=Event.Privacy.PRIVATE)
    url = program_url(public, by="pk")
    first = get(api, url)
    assert first.status_code == 200
    assert "ETag" not in first
    # A row written behind the services' back shows: nothing was stored.
    SessionFactory(event=public.event, state="accepted")
    assert len(ids(get(api, url))) == 3


def test_a_draft_event_is_not_cached(api, public, write):
    draft = EventFactory(state=Event.State.DRAFT)
    give_role(public.people["organizer"], draft, "organizer")
    url = f"/v1/events/{draft.pk}/sessions"
    assert get(api, url).status_code == 404
    # Published without any signal: its documents appear at once, as nothing was kept for it.
    Event.objects.filter(pk=draft.pk).update(state=Event.State.PUBLISHED)
    assert get(api, url).status_code == 200


@pytest.mark.parametrize(
    "params",
    [{"filter[nope]": "1"}, {"sort": "nope"}, {"page[number]": "9"}, {"include": "nope"}],
)
def test_error_responses_are_not_cached(api, public, params):
    url = program_url(public, by="pk")
    first = get(api, url, params)
    assert first.status_code in (400, 404)
    assert "ETag" not in first
    assert get(api, url, params).status_code == first.status_code


def test_get_trashed_is_not_cached(api, public):
    url = program_url(public, by="pk")
    first = get(api, url, {"get_trashed": "true"})
    assert first.status_code == 200
    assert "ETag" not in first


def test_lists_of_many_events_are_not_cached(api, public):
    assert "ETag" not in get(api, "/v1/sessions")
    assert "ETag" not in get(api, "/v1/events")


def test_nothing_is_cached_when_the_setting_is_off(api, public, settings):
    settings.API_DOCUMENT_CACHE = False
    response = get(api, program_url(public))
    assert response.status_code == 200
    assert "ETag" not in response


def test_out_of_range_and_odd_ids_are_404_not_500(api, public):
    for url in ("/v1/sessions/99999999999999999999", "/v1/sessions/abc", "/v1/tracks/\u0661", f"/v1/events/{10**30}"):
        assert get(api, url).status_code == 404, url


def test_any_logged_in_user_is_not_served_the_anonymous_document(api, public):
    stranger = UserFactory()
    reader = type(api)().as_user(stranger)
    url = program_url(public)
    get(api, url)
    response = get(reader, url)
    assert response.status_code == 200
    assert "ETag" not in response


def session_patch(session, state=None, attributes=None, relationships=None):
    attributes = dict(attributes or {})
    if state is not None:
        attributes["state"] = state
    data = {"type": "session", "id": str(session.pk), "attributes": attributes}
    if relationships:
        data["relationships"] = relationships
    return {"data": data}


def test_the_version_changes_with_every_bump(public):
    before = Event.objects.values_list("program_version", flat=True).get(pk=public.event.pk)
    seen = {before}
    for _ in range(5):
        versions.bump([public.event.pk])
        seen.add(Event.objects.values_list("program_version", flat=True).get(pk=public.event.pk))
    assert len(seen) == 6

