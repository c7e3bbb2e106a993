"""/v1/speakers and nested speaker lists: who sees which speakers and fields, who creates and edits."""
import json

import pytest

from events.models import Event
from events.services.custom_forms import create_field
from events.tests.factories import EventFactory
from events.tests.helpers import count_queries
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, close_call, ids, pointers, rel, speaker_doc

pytestmark = pytest.mark.django_db

ROLES = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"]
ORGANIZERS = ["owner", "organizer", "coorganizer", "admin"]
PRIVATE = ("email", "mobile", "complex-field-values")


@pytest.fixture
def cast(program):
    """Speakers of the program: one with an accepted session, one with a pending session only,
    one with no session; the program's own speaker has a pending session."""
    event = program.event
    accepted = SessionFactory(event=event, state="accepted")
    pending = SessionFactory(event=event, state="pending")
    rows = {
        "public": SpeakerFactory(event=event, sessions=[accepted, pending]),
        "pending_only": SpeakerFactory(event=event, sessions=[pending]),
        "no_session": SpeakerFactory(event=event),
    }
    return rows, accepted, pending


# --- reading ------------------------------------------------------------------------------------
@pytest.mark.parametrize("viewer", ["anonymous", "plain", "other_organizer"])
def test_public_readers_see_speakers_of_public_sessions_only_without_private_fields(api, program, cast, viewer):
    rows, accepted, _pending = cast
    api.as_user(program.people[viewer])
    for url in (f"/v1/events/{program.event.identifier}/speakers", "/v1/speakers"):
        response = api.get(url)
        assert response.status_code == 200
        assert ids(response) == {str(rows["public"].pk)}
        attributes = response.json_body["data"][0]["attributes"]
        assert not set(PRIVATE) & set(attributes)
        assert attributes["name"] == rows["public"].name
        # Only the sessions this reader may see are named.
        assert response.json_body["data"][0]["relationships"]["sessions"]["data"] == [
            {"type": "session", "id": str(accepted.pk)}
        ]
    assert api.get(f"/v1/speakers/{rows['public'].pk}").status_code == 200
    for key in ("pending_only", "no_session"):
        assert_error(api.get(f"/v1/speakers/{rows[key].pk}"), 404)
    assert_error(api.get(f"/v1/speakers/{program.speaker.pk}"), 404)


@pytest.mark.parametrize("viewer", ROLES)
def test_every_role_at_the_event_reads_every_speaker_with_private_fields(api, program, cast, viewer):
    rows, accepted, pending = cast
    api.as_user(program.people[viewer])
    response = api.get(f"/v1/events/{program.event.pk}/speakers")
    assert ids(response) == {str(s.pk) for s in rows.values()} | {str(program.speaker.pk)}
    for row in response.json_body["data"]:
        assert set(PRIVATE) <= set(row["attributes"])
    detail = api.get(f"/v1/speakers/{rows['public'].pk}").json_body["data"]
    assert detail["attributes"]["email"] == rows["public"].email
    assert detail["attributes"]["complex-field-values"] == {"tshirt": "L"}
    assert {r["id"] for r in detail["relationships"]["sessions"]["data"]} == {str(accepted.pk), str(pending.pk)}


def test_a_speaker_sees_their_own_row_with_private_fields_and_no_one_elses(api, program, cast):
    rows, _accepted, _pending = cast
    api.as_user(program.speaker_user)
    response = api.get(f"/v1/events/{program.event.pk}/speakers")
    assert ids(response) == {str(program.speaker.pk), str(rows["public"].pk)}
    by_id = {row["id"]: row["attributes"] for row in response.json_body["data"]}
    assert by_id[str(program.speaker.pk)]["email"] == program.speaker_user.email
    assert "email" not in by_id[str(rows["public"].pk)]
    assert_error(api.get(f"/v1/speakers/{rows['pending_only'].pk}"), 404)


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "moderator", "registrar", "track_organizer", "speaker"])
def test_a_draft_events_speakers_are_404_below_coorganizer(api, viewer):
    program = Program(state=Event.State.DRAFT)
    SessionFactory(event=program.event, state="accepted").speakers.add(program.speaker)
    api.as_user(program.people[viewer])
    assert_error(api.get(f"/v1/events/{program.event.pk}/speakers"), 404)
    assert_error(api.get(f"/v1/speakers/{program.speaker.pk}"), 404)
    assert str(program.speaker.pk) not in ids(api.get("/v1/speakers"))
    assert api.as_user(program.people["coorganizer"]).get(f"/v1/speakers/{program.speaker.pk}").status_code == 200


def test_related_routes_of_a_speaker(api, program, cast):
    rows, accepted, pending = cast
    speaker = rows["public"]
    speaker.user = UserFactory()
    speaker.save()
    event = api.get(f"/v1/speakers/{speaker.pk}/event").json_body["data"]
    assert (event["type"], event["id"]) == ("event", str(program.event.pk))
    user = api.get(f"/v1/speakers/{speaker.pk}/user").json_body["data"]
    assert (user["type"], user["id"]) == ("user", str(speaker.user.pk))
    assert "email" not in user["attributes"]
    assert ids(api.get(f"/v1/speakers/{speaker.pk}/sessions")) == {str(accepted.pk)}
    assert api.get(f"/v1/speakers/{speaker.pk}/relationships/sessions").json_body["data"] == [
        {"type": "session", "id": str(accepted.pk)}
    ]
    api.as_user(program.people["owner"])
    assert ids(api.get(f"/v1/speakers/{speaker.pk}/sessions")) == {str(accepted.pk), str(pending.pk)}
    for relation in ("sessions", "user", "event"):
        assert_error(
            api.patch(
                f"/v1/speakers/{speaker.pk}/relationships/{relation}", {"data": None if relation != "sessions" else []}
            ),
            403,
        )


@pytest.mark.parametrize(
    ("viewer", "status"), [("speaker", 200), ("admin", 200), ("plain", 403), ("owner", 403), ("anonymous", 401)]
)
def test_a_users_speaker_rows_are_for_that_user_and_admins(api, program, viewer, status):
    elsewhere = SpeakerFactory(event=EventFactory(), user=program.speaker_user)
    SpeakerFactory(event=program.event)
    response = api.as_user(program.people[viewer]).get(f"/v1/users/{program.speaker_user.pk}/speakers")
    if status != 200:
        assert_error(response, status)
        return
    assert ids(response) == {str(program.speaker.pk), str(elsewhere.pk)}
    assert all("email" in row["attributes"] for row in response.json_body["data"])


def test_speaker_filters_and_sorting(api, program, cast):
    rows, _accepted, _pending = cast
    Speaker.objects.filter(pk=rows["public"].pk).update(name="Zed", organisation="ACME")
    Speaker.objects.filter(pk=rows["no_session"].pk).update(name="Amy")
    url = f"/v1/events/{program.event.pk}/speakers"
    api.as_user(program.people["owner"])
    assert ids(api.get(url, **{"filter[organisation]": "ACME"})) == {str(rows["public"].pk)}
    names = [row["attributes"]["name"] for row in api.get(url, sort="-name").json_body["data"]]
    assert names == sorted(names, reverse=True)
    assert names[0] == "Zed"
    by_state = json.dumps([{"name": "sessions", "op": "any", "val": {"name": "state", "op": "eq", "val": "accepted"}}])
    assert ids(api.get(url, filter=by_state)) == {str(rows["public"].pk)}
    by_email = json.dumps([{"name": "email", "op": "eq", "val": rows["public"].email}])
    assert ids(api.get(url, filter=by_email)) == {str(rows["public"].pk)}
    sparse = api.get(url, **{"fields[speaker]": "name", "filter[name]": "Zed"}).json_body["data"][0]
    assert set(sparse["attributes"]) == {"name"}


@pytest.mark.parametrize("viewer", ["anonymous", "plain", "other_organizer"])
def test_public_readers_cannot_probe_private_speaker_fields(api, program, cast, viewer):
    rows, _accepted, _pending = cast
    api.as_user(program.people[viewer])
    for name, value in (("email", rows["public"].email), ("mobile", "+65 5555 0000")):
        for url in ("/v1/speakers", f"/v1/events/{program.event.pk}/speakers"):
            response = api.get(url, filter=json.dumps([{"name": name, "op": "eq", "val": value}]))
            assert_error(response, 400)
    # A session reader who cannot see pending sessions cannot learn of them through speakers either.
    hidden = json.dumps([{"name": "sessions", "op": "any", "val": {"name": "state", "op": "eq", "val": "pending"}}])
    assert ids(api.get(f"/v1/events/{program.event.pk}/speakers", filter=hidden)) == set()


@pytest.mark.parametrize("viewer", ["anonymous", "owner"])
def test_the_speaker_list_runs_the_same_queries_for_1_and_50_speakers(api, program, viewer):
    Speaker.objects.all().delete()
    Session.objects.all().delete()
    api.as_user(program.people[viewer])

    def add(count):
        sessions = Session.objects.bulk_create(
            Session(event=program.event, title=f"S{n}", state="accepted") for n in range(count)
        )
        start = Speaker.objects.count()
        speakers = Speaker.objects.bulk_create(
            Speaker(event=program.event, name=f"P{start + n}", email=f"p{start + n}@example.org") for n in range(count)
        )
        Link = Session.speakers.through
        Link.objects.bulk_create(
            Link(session_id=s.pk, speaker_id=p.pk) for s, p in zip(sessions, speakers, strict=True)
        )

    def fetch():
        return api.get(f"/v1/events/{program.event.pk}/speakers", include="sessions,user", **{"page[size]": "0"})

    add(1)
    response, one = count_queries(fetch)
    assert len(response.json_body["data"]) == 1
    add(49)
    response, many = count_queries(fetch)
    assert len(response.json_body["data"]) == 50
    assert len(response.json_body["included"]) == 50
    assert one == many, (one, many)


# --- creating -----------------------------------------------------------------------------------
@pytest.mark.parametrize("creator", ORGANIZERS)
def test_organizers_create_any_speaker(api, program, creator):
    linked = UserFactory()
    create_field(program.people["owner"], program.event, {"form": "speaker", "name": "A", "field_identifier": "a",
                                                          "type": "number"})  # fmt: skip
    body = speaker_doc(
        program.event, relationships={"user": rel("user", linked.pk)},
        name="Grace", email="Grace@Example.org", mobile="123", **{"is-featured": True,
            "complex-field-values": {"a": 1}},
    )  # fmt: skip
    response = api.as_user(program.people[creator]).post("/v1/speakers", body)
    assert response.status_code == 201, response.json_body
    speaker = Speaker.objects.get(name="Grace")
    assert response["Location"].endswith(f"/v1/speakers/{speaker.pk}")
    assert (speaker.email, speaker.user, speaker.is_featured, speaker.event) == (
        "grace@example.org",
        linked,
        True,
        program.event,
    )
    assert response.json_body["data"]["attributes"]["email"] == "grace@example.org"


def test_a_logged_in_user_creates_their_own_profile_during_the_call(api, program):
    user = program.people["plain"]
    response = api.as_user(user).post(
        "/v1/speakers", speaker_doc(program.event, name="Me", **{"short-biography": "<b>Hi</b><script>x</script>"})
    )
    assert response.status_code == 201, response.json_body
    speaker = Speaker.objects.get(name="Me")
    assert speaker.user == user
    assert speaker.email == user.email
    assert speaker.short_biography == "<b>Hi</b>"
    # They read their own row, private fields included.
    assert api.get(f"/v1/speakers/{speaker.pk}").json_body["data"]["attributes"]["email"] == user.email
    # One profile per address and event.
    assert_error(api.post("/v1/speakers", speaker_doc(program.event, name="Me again")), 409)
    assert Speaker.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("attributes", "relationships", "field"),
    [
        ({"email": "someone-else@example.org"}, {}, "email"),
        ({"is-featured": True}, {}, "is_featured"),
        ({"order": 1}, {}, "order"),
        ({}, {"user": "OTHER"}, "user"),
    ],
)
def test_a_self_made_profile_is_the_users_own(api, program, attributes, relationships, field):
    relationships = {k: rel("user", UserFactory().pk) for k in relationships}
    body = speaker_doc(program.event, relationships=relationships, name="Impostor", **attributes)
    assert_error(api.as_user(program.people["plain"]).post("/v1/speakers", body), 403)
    assert not Speaker.objects.filter(name="Impostor").exists()


@pytest.mark.parametrize("how", ["closed", "not_open_yet", "private", "no_call", "sessions_disabled"])
def test_self_made_profiles_respect_the_call_for_papers(api, program, how):
    close_call(program, how)
    assert_error(
        api.as_user(program.people["plain"]).post("/v1/speakers", speaker_doc(program.event, name="Late")), 403
    )
    assert not Speaker.objects.filter(name="Late").exists()
    # Organizers are not bound by the call.
    assert (
        api.as_user(program.people["coorganizer"])
        .post("/v1/speakers", speaker_doc(program.event, name="Invited"))
        .status_code
        == 201
    )


def test_a_private_call_takes_profiles_with_its_hash(api, program):
    close_call(program, "private")
    program.call.refresh_from_db()
    api.as_user(program.people["plain"])
    assert_error(api.post("/v1/speakers", speaker_doc(program.event, name="Hashed")), 403)
    assert (
        api.post(f"/v1/speakers?hash={program.call.hash}", speaker_doc(program.event, name="Hashed")).status_code == 201
    )


def test_profiles_at_a_draft_event_and_anonymous_profiles_are_refused(api):
    program = Program(state=Event.State.DRAFT)
    response = api.as_user(program.people["plain"]).post("/v1/speakers", speaker_doc(program.event, name="Hidden"))
    assert_error(response, 422)
    assert pointers(response) == ["/data/relationships/event"]
    assert_error(api.as_user(None).post("/v1/speakers", speaker_doc(program.event, name="Hidden")), 401)
    assert not Speaker.objects.filter(name="Hidden").exists()


def test_speaker_emails_are_unique_per_event_among_live_rows(api, program):
    api.as_user(program.people["owner"])
    taken = program.speaker.email.upper()
    assert_error(api.post("/v1/speakers", speaker_doc(program.event, name="Twin", email=taken)), 409)
    # Another event may have the same address; a deleted row frees it.
    other_event = EventFactory()
    admin = program.people["admin"]
    assert (
        api.as_user(admin).post("/v1/speakers", speaker_doc(other_event, name="Twin", email=taken)).status_code == 201
    )
    program.speaker.soft_delete()
    assert (
        api.as_user(program.people["owner"])
        .post("/v1/speakers", speaker_doc(program.event, name="Twin", email=taken))
        .status_code
        == 201
    )
    assert Speaker.objects.filter(event=program.event, name="Twin").count() == 1


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"email": "nope"}, "/data/attributes/email"),
        ({"name": ""}, "/data/attributes/name"),
        ({"name": None}, "/data/attributes/name"),
        ({"website": "not a url"}, "/data/attributes/website"),
        ({"complex-field-values": "x"}, "/data/attributes/complex-field-values"),
        ({"no-event": True}, "/data/relationships/event"),
    ],
)
def test_invalid_speakers_are_422_with_a_pointer(api, program, attributes, pointer):
    body = speaker_doc(None if attributes.pop("no-event", False) else program.event, **{"name": "Broken", **attributes})
    response = api.as_user(program.people["owner"]).post("/v1/speakers", body)
    assert_error(response, 422)
    assert pointer in pointers(response)
    assert Speaker.objects.count() == 1


def test_speaker_garbage_wrong_type_and_wrong_media_type(api, program):
    api.as_user(program.people["owner"])
    assert_error(api.post("/v1/speakers", raw="nope"), 400)
    wrong = speaker_doc(program.event, name="Typed")
    wrong["data"]["type"] = "session"
    assert_error(api.post("/v1/speakers", wrong), 409)
    assert_error(
        api.post("/v1/speakers", raw=json.dumps(speaker_doc(program.event, name="Typed")), content_type="text/plain"),
        415,
    )
    assert not Speaker.objects.filter(name="Typed").exists()


# --- editing and deleting -----------------------------------------------------------------------
@pytest.mark.parametrize("editor", ORGANIZERS)
def test_organizers_edit_any_speaker(api, program, editor):
    speaker = program.speaker
    body = speaker_doc(
        id=speaker.pk, name="Renamed", **{"is-featured": True, "long-biography": "<i>x</i><iframe></iframe>"}
    )
    response = api.as_user(program.people[editor]).patch(f"/v1/speakers/{speaker.pk}", body)
    assert response.status_code == 200, response.json_body
    speaker.refresh_from_db()
    assert (speaker.name, speaker.is_featured, speaker.long_biography) == ("Renamed", True, "<i>x</i>")


def test_a_speaker_edits_their_own_row(api, program):
    speaker = program.speaker
    response = api.as_user(program.speaker_user).patch(
        f"/v1/speakers/{speaker.pk}", speaker_doc(id=speaker.pk, city="Hanoi", email=speaker.email.upper())
    )
    assert response.status_code == 200, response.json_body
    speaker.refresh_from_db()
    assert speaker.city == "Hanoi"


@pytest.mark.parametrize(
    ("attributes", "relationships"),
    [
        ({"email": "new@example.org"}, {}),
        ({"is-featured": True}, {}),
        ({}, {"user": "OTHER"}),
        ({}, {"event": "OTHER"}),
    ],
)
def test_a_speaker_cannot_change_their_account_address_flag_or_event(api, program, attributes, relationships):
    values = {"user": lambda: rel("user", UserFactory().pk), "event": lambda: rel("event", EventFactory().pk)}
    relationships = {k: values[k]() for k in relationships}
    speaker = program.speaker
    body = speaker_doc(id=speaker.pk, relationships=relationships, city="Changed", **attributes)
    assert_error(api.as_user(program.speaker_user).patch(f"/v1/speakers/{speaker.pk}", body), 403)
    speaker.refresh_from_db()
    assert (speaker.city, speaker.is_featured, speaker.user, speaker.event) == (
        "",
        False,
        program.speaker_user,
        program.event,
    )


def test_having_spoken_elsewhere_grants_nothing(api, program, cast):
    """Security lesson 5: a speaker edits or deletes only their own rows."""
    rows, accepted, _pending = cast
    elsewhere = Program()
    # The same person, with the same address, holds a speaker row at another event …
    veteran = elsewhere.speaker_user
    # … and a row at this event carries their address but was not made for their account.
    lookalike = SpeakerFactory(event=program.event, email=veteran.email, sessions=[accepted])
    api.as_user(veteran)
    for target in (rows["public"], lookalike):
        assert_error(api.patch(f"/v1/speakers/{target.pk}", speaker_doc(id=target.pk, name="Hijacked")), 403)
        assert_error(api.delete(f"/v1/speakers/{target.pk}"), 403)
    api.as_user(program.speaker_user)
    assert_error(
        api.patch(f"/v1/speakers/{rows['public'].pk}", speaker_doc(id=rows["public"].pk, name="Hijacked")), 403
    )
    assert_error(
        api.patch(f"/v1/speakers/{elsewhere.speaker.pk}", speaker_doc(id=elsewhere.speaker.pk, name="Hijacked")), 404
    )
    assert not Speaker.objects.filter(name="Hijacked").exists()
    assert Speaker.objects.filter(pk__in=[rows["public"].pk, lookalike.pk]).count() == 2


@pytest.mark.parametrize(
    ("editor", "status"),
    [
        ("track_organizer", 403),
        ("moderator", 403),
        ("registrar", 403),
        ("other_organizer", 403),
        ("plain", 403),
        ("anonymous", 401),
    ],
)
def test_readers_and_outsiders_cannot_edit_or_delete_speakers(api, program, cast, editor, status):
    rows, _accepted, _pending = cast
    speaker = rows["public"]
    api.as_user(program.people[editor])
    assert_error(api.patch(f"/v1/speakers/{speaker.pk}", speaker_doc(id=speaker.pk, name="Changed")), status)
    assert_error(api.delete(f"/v1/speakers/{speaker.pk}"), status)
    speaker.refresh_from_db()
    assert speaker.name != "Changed"
    assert speaker.deleted_at is None


def test_organizer_edits_are_validated(api, program, cast):
    rows, _accepted, _pending = cast
    speaker = rows["public"]
    api.as_user(program.people["owner"])
    assert_error(api.patch(f"/v1/speakers/{speaker.pk}", speaker_doc(id=speaker.pk, email=program.speaker.email)), 409)
    response = api.patch(f"/v1/speakers/{speaker.pk}", speaker_doc(id=speaker.pk, twitter="@handle"))
    assert_error(response, 422)
    assert pointers(response) == ["/data/attributes/twitter"]
    assert_error(
        api.patch(
            f"/v1/speakers/{speaker.pk}",
            speaker_doc(id=speaker.pk, relationships={"event": rel("event", EventFactory().pk)}),
        ),
        403,
    )
    assert_error(api.patch(f"/v1/speakers/{speaker.pk}", speaker_doc(id=speaker.pk + 1000, name="X")), 409)
    speaker.refresh_from_db()
    assert speaker.email != program.speaker.email
    assert speaker.twitter == ""


def test_a_speaker_deletes_their_own_row(api, program):
    response = api.as_user(program.speaker_user).delete(f"/v1/speakers/{program.speaker.pk}")
    assert response.status_code == 200
    assert not Speaker.objects.filter(pk=program.speaker.pk).exists()
    assert Speaker.all_objects.filter(pk=program.speaker.pk).exists()
    assert not program.own_session.speakers.exists()


def test_speaker_trash_restore_and_permanent_delete(api, program, cast):
    rows, _accepted, _pending = cast
    speaker = rows["public"]
    owner = program.people["owner"]
    assert api.as_user(owner).delete(f"/v1/speakers/{speaker.pk}").status_code == 200
    assert str(speaker.pk) not in ids(api.get(f"/v1/events/{program.event.pk}/speakers"))
    assert str(speaker.pk) in ids(api.get(f"/v1/events/{program.event.pk}/speakers", get_trashed="true"))
    for viewer in ("anonymous", "plain", "moderator", "speaker"):
        assert str(speaker.pk) not in ids(api.as_user(program.people[viewer]).get("/v1/speakers", get_trashed="true"))
    restore = {"data": {"type": "speaker", "id": str(speaker.pk), "attributes": {"deleted-at": None}}}
    # A live row took the address meanwhile: restoring would duplicate it.
    twin = SpeakerFactory(event=program.event, email=speaker.email)
    assert_error(api.as_user(owner).patch(f"/v1/speakers/{speaker.pk}", restore), 409)
    twin.delete()
    response = api.patch(f"/v1/speakers/{speaker.pk}", restore)
    assert response.status_code == 200, response.json_body
    assert Speaker.objects.filter(pk=speaker.pk).exists()
    assert_error(api.delete(f"/v1/speakers/{speaker.pk}?permanent=true"), 403)
    assert api.as_user(program.people["admin"]).delete(f"/v1/speakers/{speaker.pk}?permanent=true").status_code == 200
    assert not Speaker.all_objects.filter(pk=speaker.pk).exists()


def test_organizers_order_speakers_and_speakers_cannot_reorder_themselves(api, program):
    speaker = SpeakerFactory(event=program.event, user=program.people["plain"])
    doc = {"data": {"type": "speaker", "id": str(speaker.pk), "attributes": {"order": 5}}}
    assert_error(api.as_user(program.people["plain"]).patch(f"/v1/speakers/{speaker.pk}", doc), 403)
    response = api.as_user(program.people["coorganizer"]).patch(f"/v1/speakers/{speaker.pk}", doc)
    assert response.status_code == 200, response.json_body
    assert response.json_body["data"]["attributes"]["order"] == 5
    speaker.refresh_from_db()
    assert speaker.order == 5
