"""Organizer pages of sessions and speakers: the sessions table (sort, filter, search, bulk
accept/reject), a session's page, form and state, the speakers table and form; who may see and
change what."""
import datetime
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.templatetags.event_pages import excerpt, is_cut, plain_text
from events.tests.factories import (
    EventFactory,
    MicrolocationFactory,
    SessionTypeFactory,
    TrackFactory,
)
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session, Speaker
from sessions_app.tests.factories import SessionFactory, SpeakerFactory
from sessions_app.tests.helpers import Program, close_call

pytestmark = pytest.mark.django_db

TEAM = ["owner", "organizer", "coorganizer", "track_organizer", "moderator", "registrar", "admin"]
MANAGERS = ["owner", "organizer", "coorganizer", "admin"]
READERS = ["track_organizer", "moderator", "registrar"]
OUTSIDERS = ["plain", "other_organizer", "speaker"]


def url(name, event, *args):
    return reverse(name, args=[event.identifier, *args])


def as_user(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def titles(response):
    return [session.title for session in response.context["sessions"]]


def html_titles(response):
    """Titles in the order the table shows them."""
    return re.findall(r'class="session-title">([^<]+)</a>', response.content.decode())


# --- who may see what -----------------------------------------------------------------------------
def read_urls(program):
    session = program.own_session
    return [
        url("session-list", program.event),
        url("session-detail", program.event, session.pk),
        url("speaker-list", program.event),
    ]


def manage_urls(program):
    return [
        url("session-create", program.event),
        url("session-edit", program.event, program.own_session.pk),
        url("speaker-create", program.event),
        url("speaker-edit", program.event, program.speaker.pk),
    ]


@pytest.mark.parametrize("role", TEAM)
def test_every_role_at_the_event_reads_sessions_and_speakers(client, program, role):
    as_user(client, program.people[role])
    for address in read_urls(program):
        response = client.get(address)
        assert response.status_code == 200, address
        assert program.own_session.title in response.content.decode()


@pytest.mark.parametrize("role", OUTSIDERS)
def test_people_without_a_role_are_refused_a_published_events_pages(client, program, role):
    as_user(client, program.people[role])
    for address in read_urls(program) + manage_urls(program):
        assert client.get(address).status_code == 403, address
    response = client.post(
        url("session-list", program.event), {"action": "accepted", "sessions": [program.own_session.pk]}
    )
    assert response.status_code == 403


def test_a_speaker_opening_the_new_session_page_is_told_where_to_propose(client, program):
    as_user(client, program.people["speaker"])

    response = client.get(url("session-create", program.event))

    assert response.status_code == 403
    page = response.content.decode()
    assert "Only the event&#x27;s team adds sessions and speakers here." in page
    assert "answer the event&#x27;s call for speakers" in page
    assert f"/e/{program.event.identifier}/cfp/" in page
    assert "dashboard" not in page.split("<main", 1)[-1]


def test_a_speaker_is_told_when_the_call_takes_no_proposals(client, program):
    close_call(program, "closed")
    as_user(client, program.people["speaker"])

    response = client.get(url("session-create", program.event))

    assert response.status_code == 403
    assert "which takes none now: The call for speakers is closed." in response.content.decode()
    listing = client.get(url("session-list", program.event))
    assert "Only the event&#x27;s team sees its sessions and speakers." in listing.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client, program):
    for address in read_urls(program) + manage_urls(program):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('login')}?next={address}"


@pytest.mark.parametrize("role", ["plain", "moderator", "track_organizer"])
def test_a_drafts_pages_are_not_found_below_coorganizer(client, role):
    program = Program(state=Event.State.DRAFT)
    as_user(client, program.people[role])
    for address in read_urls(program) + manage_urls(program):
        assert client.get(address).status_code == 404, address


def test_a_drafts_pages_open_for_its_coorganizer(client):
    program = Program(state=Event.State.DRAFT)
    as_user(client, program.people["coorganizer"])
    for address in read_urls(program) + manage_urls(program):
        assert client.get(address).status_code == 200, address


@pytest.mark.parametrize("role", READERS)
def test_readers_get_no_controls_and_are_refused_every_change(client, program, role):
    session = program.own_session
    as_user(client, program.people[role])
    html = client.get(url("session-list", program.event)).content.decode()
    assert "Accept selected" not in html
    assert 'name="sessions"' not in html
    assert "New session" not in html
    detail = client.get(url("session-detail", program.event, session.pk))
    assert detail.context["state_form"] is None
    assert "Edit session" not in detail.content.decode()

    for address in manage_urls(program):
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"title": "Taken over", "name": "Taken over"}).status_code == 403, address
    assert (
        client.post(url("session-list", program.event), {"action": "accepted", "sessions": [session.pk]}).status_code
        == 403
    )
    assert client.post(url("session-state", program.event, session.pk), {"state": "accepted"}).status_code == 403
    session.refresh_from_db()
    assert (session.state, session.title) == ("pending", program.own_session.title)


def test_another_events_session_or_speaker_is_not_found(client, program):
    other = Program()
    as_user(client, program.people["owner"])
    assert client.get(url("session-detail", program.event, other.own_session.pk)).status_code == 404
    assert client.get(url("session-edit", program.event, other.own_session.pk)).status_code == 404
    assert client.get(url("speaker-edit", program.event, other.speaker.pk)).status_code == 404


def test_the_dashboard_links_to_the_program_pages(client, program):
    as_user(client, program.people["moderator"])
    html = client.get(reverse("event-dashboard", args=[program.event.identifier])).content.decode()
    assert f'href="{url("session-list", program.event)}"' in html
    assert f'href="{url("speaker-list", program.event)}"' in html


# --- the sessions table -------------------------------------------------------------------------------
@pytest.fixture
def organizer(client):
    """An owner's client on a published event without sessions."""
    program = Program()
    program.own_session.delete()
    as_user(client, program.people["owner"])
    client.program = program
    client.event = program.event
    return client


def test_the_table_shows_every_column_with_humanized_dates(organizer):
    event, program = organizer.event, organizer.program
    submitted = timezone.now() - datetime.timedelta(hours=3)
    session = SessionFactory(
        event=event, title="Rust in production", state="pending", track=program.track,
        session_type=program.session_type, microlocation=program.room, submitted_at=submitted,
        starts_at=event.starts_at + datetime.timedelta(hours=1), ends_at=event.starts_at + datetime.timedelta(hours=2),
    )  # fmt: skip
    session.speakers.add(program.speaker, SpeakerFactory(event=event, name="Ada Lovelace"))

    response = organizer.get(url("session-list", event))

    html = response.content.decode()
    for text in ("Rust in production", "Ada Lovelace", program.speaker.name, program.track.name,
                 program.session_type.name, program.room.name, "Pending", "3\xa0hours ago"):  # fmt: skip
        assert text in html, text
    assert f'<time datetime="{submitted.isoformat()}" title="' in html
    for label in ("Title", "Speakers", "Track", "Type", "Room", "State", "Starts", "Submitted", "Last modified"):
        assert f">{label}<span class=\"sort-indicator\"" in html, label
    # Every control has a label; no inline script or handler.
    assert f'<label for="select-{session.pk}" class="visually-hidden">' in html
    for name in ("q", "state", "track", "type", "room"):
        assert f'<label for="id_{name}">' in html
    assert "<script>" not in html
    assert " onclick=" not in html
    assert 'type="module"' in html


def make_sorting_sessions(event, program):
    """Three sessions whose every column sorts differently; ``None`` cells must come last."""
    now = timezone.now()
    track_b = TrackFactory(event=event, name="backend")
    track_a = TrackFactory(event=event, name="Analytics")
    type_b = SessionTypeFactory(event=event, name="workshop")
    type_a = SessionTypeFactory(event=event, name="Keynote")
    room_b = MicrolocationFactory(event=event, name="hall B")
    room_a = MicrolocationFactory(event=event, name="Hall A")
    start = event.starts_at
    one = SessionFactory(
        event=event, title="beta", state="pending", track=track_b, session_type=type_a, microlocation=None,
        starts_at=start + datetime.timedelta(hours=5), ends_at=start + datetime.timedelta(hours=6),
        submitted_at=now - datetime.timedelta(days=2), last_modified_at=now - datetime.timedelta(minutes=5),
    )
    two = SessionFactory(
        event=event, title="Alpha", state="rejected", track=None, session_type=type_b, microlocation=room_b,
        starts_at=None, ends_at=None,
        submitted_at=now - datetime.timedelta(days=9), last_modified_at=now - datetime.timedelta(days=1),
    )
    three = SessionFactory(
        event=event, title="Gamma", state="accepted", track=track_a, session_type=None, microlocation=room_a,
        starts_at=start + datetime.timedelta(hours=1), ends_at=start + datetime.timedelta(hours=2),
        submitted_at=None, last_modified_at=now - datetime.timedelta(hours=3),
    )
    one.speakers.add(SpeakerFactory(event=event, name="Zoe"))
    two.speakers.add(SpeakerFactory(event=event, name="adam"), SpeakerFactory(event=event, name="Yann"))
    return one, two, three


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Alpha", "beta", "Gamma"]),
        ("-title", ["Gamma", "beta", "Alpha"]),
        ("speakers", ["Alpha", "beta", "Gamma"]),  # adam, Zoe, (none)
        ("-speakers", ["beta", "Alpha", "Gamma"]),  # Zoe, adam, (none) — empty cells stay last
        ("track", ["Gamma", "beta", "Alpha"]),  # Analytics, backend, (none)
        ("type", ["beta", "Alpha", "Gamma"]),  # Keynote, workshop, (none)
        ("room", ["Gamma", "Alpha", "beta"]),  # Hall A, hall B, (none)
        ("state", ["Gamma", "beta", "Alpha"]),  # accepted, pending, rejected
        ("-state", ["Alpha", "beta", "Gamma"]),
        ("starts", ["Gamma", "beta", "Alpha"]),  # +1h, +5h, unscheduled
        ("submitted", ["Alpha", "beta", "Gamma"]),  # 9 days ago, 2 days ago, never
        ("-submitted", ["beta", "Alpha", "Gamma"]),
        ("modified", ["Alpha", "Gamma", "beta"]),  # 1 day, 3 hours, 5 minutes ago
        ("-modified", ["beta", "Gamma", "Alpha"]),
        ("no-such-column", ["Alpha", "beta", "Gamma"]),  # the default: by title
    ],
)
def test_the_table_sorts_by_every_column(organizer, sort, expected):
    make_sorting_sessions(organizer.event, organizer.program)
    response = organizer.get(url("session-list", organizer.event), {"sort": sort})
    assert titles(response) == expected
    assert html_titles(response) == expected


def test_sorting_marks_the_column_and_offers_the_reverse_order(organizer):
    make_sorting_sessions(organizer.event, organizer.program)
    html = organizer.get(
        url("session-list", organizer.event), {"sort": "submitted", "state": "pending"}
    ).content.decode()
    assert re.search(
        r'data-sort-key="submitted" aria-sort="ascending">\s*'
        r'<a class="sort-link" href="\?sort=-submitted&amp;state=pending"',
        html,
    )
    assert re.search(r'data-sort-key="title">\s*<a class="sort-link" href="\?sort=title&amp;state=pending"', html)
    # The filters keep the order; each cell carries its sort value for the client-side sort.
    assert '<input type="hidden" name="sort" value="submitted">' in html
    assert 'data-sort-value="beta"' in html


def test_the_humanized_dates_sort_by_the_real_timestamp(organizer):
    # As text "10 minutes ago" comes before "2 hours ago"; by time it is the other way round.
    now = timezone.now()
    SessionFactory(event=organizer.event, title="Recent", submitted_at=now - datetime.timedelta(minutes=10))
    SessionFactory(event=organizer.event, title="Older", submitted_at=now - datetime.timedelta(hours=2))
    response = organizer.get(url("session-list", organizer.event), {"sort": "submitted"})
    assert titles(response) == ["Older", "Recent"]
    html = response.content.decode()
    assert html.index("2\xa0hours ago") < html.index("10\xa0minutes ago")
    assert titles(organizer.get(url("session-list", organizer.event), {"sort": "-submitted"})) == ["Recent", "Older"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "pending"}, ["beta"]),
        ({"state": "rejected"}, ["Alpha"]),
        ({"track": "TRACK"}, ["beta"]),
        ({"type": "TYPE"}, ["Alpha"]),
        ({"room": "ROOM"}, ["Gamma"]),
        ({"q": "ALPH"}, ["Alpha"]),  # title, any case
        ({"q": "yann"}, ["Alpha"]),  # a speaker's name
        ({"q": "quantum"}, ["Gamma"]),  # the long abstract
        ({"q": "tiny"}, ["beta"]),  # the short abstract
        ({"q": "zzz"}, []),
        ({"state": "accepted", "room": "ROOM"}, ["Gamma"]),
        ({"state": "pending", "room": "ROOM"}, []),
        ({"state": "bogus"}, ["Alpha", "beta", "Gamma"]),  # not understood: ignored, and said so
    ],
)
def test_the_table_filters_and_searches(organizer, params, expected):
    one, two, three = make_sorting_sessions(organizer.event, organizer.program)
    Session.objects.filter(pk=one.pk).update(short_abstract="<p>A <b>tiny</b> abstract.</p>")
    Session.objects.filter(pk=three.pk).update(long_abstract="All about quantum computing.")
    values = {"TRACK": one.track_id, "TYPE": two.session_type_id, "ROOM": three.microlocation_id}
    params = {name: values.get(value, value) for name, value in params.items()}
    response = organizer.get(url("session-list", organizer.event), params)
    assert response.status_code == 200
    assert titles(response) == expected
    if params.get("state") == "bogus":
        assert "Some filters were not understood" in response.content.decode()


def test_filters_offer_only_this_events_tracks_types_and_rooms(organizer):
    other = Program()
    response = organizer.get(url("session-list", organizer.event), {"track": other.track.pk})
    form = response.context["filter_form"]
    offered = [value for value, _ in form.fields["track"].choices]
    assert offered == ["", organizer.program.track.pk]
    assert "track" in form.errors


def test_the_search_finds_a_session_once_however_many_speakers_match(organizer):
    session = SessionFactory(event=organizer.event, title="Pairing")
    session.speakers.add(
        SpeakerFactory(event=organizer.event, name="Ann Smith"), SpeakerFactory(event=organizer.event, name="Bob Smith")
    )
    assert titles(organizer.get(url("session-list", organizer.event), {"q": "smith"})) == ["Pairing"]


def test_long_abstracts_are_cut_in_the_table_with_a_link_to_the_full_text(organizer):
    words = " ".join(f"word{n}" for n in range(60))  # ~410 characters
    session = SessionFactory(event=organizer.event, short_abstract=f"<p>{words} &amp; more</p>")
    html = organizer.get(url("session-list", organizer.event)).content.decode()
    cut = excerpt(session.short_abstract)
    assert cut.endswith("…")
    assert len(cut) <= 200
    assert cut in html
    assert f'href="{url("session-detail", organizer.event, session.pk)}#abstract"' in html
    assert "word59" not in html
    # The full text is on the session's page, as the sanitized HTML it was stored as.
    detail = organizer.get(url("session-detail", organizer.event, session.pk)).content.decode()
    assert f"<p>{words} &amp; more</p>" in detail


# --- the excerpt filter -------------------------------------------------------------------------------
def test_excerpt_keeps_short_text_whole():
    assert excerpt("A short abstract.") == "A short abstract."
    assert excerpt("x" * 200) == "x" * 200
    assert is_cut("x" * 200) is False
    assert is_cut("x" * 201) is True


def test_excerpt_cuts_on_a_word_boundary_with_an_ellipsis():
    text = "lorem ipsum " * 30  # 360 characters
    cut = excerpt(text)
    assert len(cut) <= 200
    assert cut.endswith("…")
    assert cut[:-1] == text[: len(cut) - 1]
    assert cut[-2] in "mu"  # ends with a whole word ("lorem" or "ipsum")
    assert excerpt("alpha beta gamma delta", 12) == "alpha beta…"
    # A word ending exactly at the limit is kept whole.
    assert excerpt("abcde fghij klmno", 12) == "abcde fghij…"


def test_excerpt_drops_trailing_punctuation_and_cuts_inside_one_huge_word():
    assert excerpt("alpha, beta gamma", 10) == "alpha…"
    assert excerpt("x" * 300) == "x" * 199 + "…"


def test_excerpt_turns_sanitized_html_into_plain_text():
    html = "<p>Fish &amp; <b>chips</b></p>\n<ul><li>one</li><li>two</li></ul>"
    assert plain_text(html) == "Fish & chips one two"
    assert excerpt(html, 11) == "Fish &…"
    assert excerpt(None) == ""
    assert excerpt("") == ""


def test_excerpted_html_is_escaped_again_in_the_table(organizer):
    SessionFactory(event=organizer.event, short_abstract="&lt;script&gt;alert(1)&lt;/script&gt; text")
    html = organizer.get(url("session-list", organizer.event)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; text" in html
    assert "<script>alert" not in html


# --- a constant number of queries ------------------------------------------------------------------------
def fill(event, program, count):
    """``count`` sessions made with bulk_create, each with two speakers, a track, type and room."""
    now = timezone.now()
    sessions = Session.objects.bulk_create(
        Session(
            event=event, title=f"Talk {n}", state="pending", track=program.track, session_type=program.session_type,
            microlocation=program.room, submitted_at=now - datetime.timedelta(minutes=n), last_modified_at=now,
        )
        for n in range(count)
    )  # fmt: skip
    speakers = Speaker.objects.bulk_create(
        Speaker(event=event, name=f"Speaker {n}", email=f"s{count}-{n}@example.org") for n in range(count)
    )
    through = Speaker.sessions.through
    links = [through(session_id=s.pk, speaker_id=p.pk) for s, p in zip(sessions, speakers, strict=True)]
    links += [through(session_id=s.pk, speaker_id=program.speaker.pk) for s in sessions]
    through.objects.bulk_create(links)


def queries(client, address, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address, params)
    assert response.status_code == 200
    return len(captured), response


# Every row on one page (``size=all``); the default page of 50 is pinned in test_pages_paging.py.
@pytest.mark.parametrize(
    "params", [{"size": "all"}, {"sort": "-speakers", "q": "talk", "state": "pending", "size": "all"}]
)
def test_the_sessions_table_runs_a_constant_number_of_queries(organizer, params):
    event, program = organizer.event, organizer.program
    fill(event, program, 1)
    with_one, response = queries(organizer, url("session-list", event), **params)
    assert len(response.context["sessions"]) == 1
    fill(event, program, 199)
    with_200, response = queries(organizer, url("session-list", event), **params)
    assert len(response.context["sessions"]) == 200
    assert with_200 == with_one


def test_the_speakers_table_runs_a_constant_number_of_queries(organizer):
    event, program = organizer.event, organizer.program
    fill(event, program, 1)
    with_one, _ = queries(organizer, url("speaker-list", event))
    fill(event, program, 199)
    with_200, response = queries(organizer, url("speaker-list", event))
    assert with_200 == with_one
    assert response.content.decode().count("mailto:") == 201


# --- bulk accept and reject --------------------------------------------------------------------------------
def bulk(client, event, action, sessions, query=""):
    address = url("session-list", event) + query
    return client.post(address, {"action": action, "sessions": [s.pk for s in sessions]})


def test_bulk_accept_moves_the_ticked_sessions_and_returns_to_the_same_table(organizer):
    event = organizer.event
    first, second, _third = (
        SessionFactory(event=event, state="pending", title=t) for t in ("First", "Second", "Third")
    )

    response = bulk(organizer, event, "accepted", [first, second], query="?sort=-submitted&state=pending")

    assert response.status_code == 302
    assert response["Location"] == url("session-list", event) + "?sort=-submitted&state=pending"
    states = dict(Session.objects.values_list("title", "state"))
    assert states == {"First": "accepted", "Second": "accepted", "Third": "pending"}
    html = organizer.get(response["Location"]).content.decode()
    assert "Accepted 2 sessions: “First”, “Second”." in html


def test_bulk_reject(organizer):
    session = SessionFactory(event=organizer.event, state="accepted", title="Nope")
    response = bulk(organizer, organizer.event, "rejected", [session])
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == "rejected"
    assert "Rejected 1 session: “Nope”." in organizer.get(response["Location"]).content.decode()


def test_bulk_skips_the_sessions_the_state_machine_refuses_and_moves_the_rest(organizer):
    event = organizer.event
    pending = SessionFactory(event=event, state="pending", title="Pending one")
    withdrawn = SessionFactory(event=event, state="withdrawn", title="Withdrawn one")
    accepted = SessionFactory(event=event, state="accepted", title="Accepted one")

    response = bulk(organizer, event, "accepted", [pending, withdrawn, accepted])

    assert response.status_code == 302
    states = dict(Session.objects.values_list("title", "state"))
    assert states == {"Pending one": "accepted", "Withdrawn one": "withdrawn", "Accepted one": "accepted"}
    html = organizer.get(response["Location"]).content.decode()
    assert "Accepted 1 session: “Pending one”." in html
    assert "“Withdrawn one” was not accepted: Organizers cannot move a session from withdrawn to accepted." in html
    assert "Already accepted: “Accepted one”." in html


def test_bulk_refuses_another_events_sessions_and_an_empty_selection(organizer):
    mine = SessionFactory(event=organizer.event, state="pending")
    theirs = SessionFactory(event=EventFactory(), state="pending")
    response = bulk(organizer, organizer.event, "accepted", [mine, theirs])
    assert response.status_code == 302
    assert "not sessions of this event" in organizer.get(response["Location"]).content.decode()
    assert set(Session.objects.values_list("state", flat=True)) == {"pending"}

    response = bulk(organizer, organizer.event, "accepted", [])
    assert "Tick at least one session first." in organizer.get(response["Location"]).content.decode()

    response = organizer.post(url("session-list", organizer.event), {"action": "confirmed", "sessions": [mine.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "pending"


def test_bulk_changes_go_through_the_state_machine_service(organizer):
    # change_state stamps submitted_at and last_modified_at; a direct write would not.
    session = SessionFactory(event=organizer.event, state="draft", submitted_at=None,
                             last_modified_at=timezone.now() - datetime.timedelta(days=3))
    bulk(organizer, organizer.event, "accepted", [session])
    session.refresh_from_db()
    assert session.state == "accepted"
    assert session.last_modified_at > timezone.now() - datetime.timedelta(minutes=1)


# --- one session: page, state, form ---------------------------------------------------------------------------
def test_the_session_page_offers_the_organizers_transitions(organizer):
    session = SessionFactory(event=organizer.event, state="withdrawn")
    response = organizer.get(url("session-detail", organizer.event, session.pk))
    assert [value for value, _ in response.context["state_form"].fields["state"].choices] == ["pending"]


def test_changing_the_state_on_the_session_page(organizer):
    session = SessionFactory(event=organizer.event, state="pending", title="Talk")
    response = organizer.post(url("session-state", organizer.event, session.pk), {"state": "confirmed"})
    assert response["Location"] == url("session-detail", organizer.event, session.pk)
    session.refresh_from_db()
    assert session.state == "confirmed"
    assert "“Talk” moved from Pending to Confirmed." in organizer.get(response["Location"]).content.decode()


def test_a_state_the_organizers_table_does_not_allow_is_refused_on_the_session_page(organizer):
    session = SessionFactory(event=organizer.event, state="withdrawn")
    response = organizer.post(url("session-state", organizer.event, session.pk), {"state": "accepted"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.state == "withdrawn"
    assert (
        "Choose one of the states a withdrawn session may move to."
        in organizer.get(response["Location"]).content.decode()
    )


def session_data(program, **overrides):
    start = program.event.starts_at.astimezone(datetime.UTC)
    data = {
        "title": "Scaling Postgres",
        "subtitle": "",
        "state": "pending",
        "track": program.track.pk,
        "session_type": program.session_type.pk,
        "microlocation": program.room.pk,
        "starts_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "speakers": [program.speaker.pk],
        "short_abstract": "<p>Indexes <script>alert(1)</script><b>matter</b>.</p>",
        "long_abstract": "",
        "comments": "",
        "language": "English",
        "level": "Advanced",
        "slides_url": "slides.example.org/pg",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def test_the_session_form_offers_only_this_events_parts_and_speakers(organizer):
    program = organizer.program
    other = Program()
    form = organizer.get(url("session-create", organizer.event)).context["form"]
    assert list(form.fields["track"].queryset) == [program.track]
    assert list(form.fields["session_type"].queryset) == [program.session_type]
    assert list(form.fields["microlocation"].queryset) == [program.room]
    assert list(form.fields["speakers"].queryset) == [program.speaker]
    assert other.speaker not in form.fields["speakers"].queryset
    html = organizer.get(url("session-create", organizer.event)).content.decode()
    for name in ("title", "track", "session_type", "microlocation", "starts_at", "speakers", "short_abstract"):
        assert f'<label for="id_{name}">' in html, name


def test_creating_a_session(organizer):
    program = organizer.program
    response = organizer.post(url("session-create", organizer.event), session_data(program))
    session = Session.objects.get(title="Scaling Postgres")
    assert response.status_code == 302
    assert response["Location"] == url("session-detail", organizer.event, session.pk)
    assert (session.state, session.track, session.creator) == ("pending", program.track, program.people["owner"])
    assert list(session.speakers.all()) == [program.speaker]
    assert session.submitted_at is not None
    # Times are clock times at the event; abstracts are sanitized; URLs without scheme mean https.
    assert session.starts_at == program.event.starts_at.replace(second=0, microsecond=0) + datetime.timedelta(hours=2)
    assert "<script>" not in session.short_abstract
    assert "<b>matter</b>" in session.short_abstract
    assert session.slides_url == "https://slides.example.org/pg"


def test_editing_a_session_with_its_speakers_and_state(organizer):
    program = organizer.program
    session = SessionFactory(event=organizer.event, state="pending", title="Old")
    session.speakers.add(program.speaker)
    newcomer = SpeakerFactory(event=organizer.event, name="Newcomer")
    form = organizer.get(url("session-edit", organizer.event, session.pk)).context["form"]
    assert form.initial["speakers"] == [program.speaker.pk]
    assert [value for value, _ in form.fields["state"].choices] == [
        "pending",
        "accepted",
        "confirmed",
        "rejected",
        "canceled",
    ]

    response = organizer.post(
        url("session-edit", organizer.event, session.pk),
        session_data(program, title="New", state="accepted", speakers=[newcomer.pk]),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.state) == ("New", "accepted")
    assert list(session.speakers.all()) == [newcomer]
    html = organizer.get(response["Location"]).content.decode()
    assert "The session “New” was saved." in html
    assert "<p>Indexes <b>matter</b>.</p>" in html  # sanitized HTML, shown as such


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"ends_at": "START"}, "ends_at"),  # ends when it starts
        ({"ends_at": "EARLIER"}, "ends_at"),  # ends before it starts
        ({"starts_at": "yesterday-ish"}, "starts_at"),
        ({"ends_at": None, "starts_at": "LATE"}, "ends_at"),  # a start without an end
        ({"starts_at": "OUTSIDE", "ends_at": "OUTSIDE_END"}, "starts_at"),  # outside the event
        ({"track": "OTHER_TRACK"}, "track"),
        ({"speakers": "OTHER_SPEAKER"}, "speakers"),
        ({"state": "withdrawn"}, "state"),  # not in the organizers' table from pending
        ({"slides_url": "not a url"}, "slides_url"),
    ],
)
def test_bad_session_input_is_a_form_error_and_nothing_is_stored(organizer, overrides, field):
    program = organizer.program
    other = Program()
    session = SessionFactory(event=organizer.event, state="pending", title="Untouched")
    start = program.event.starts_at.astimezone(datetime.UTC)
    def stamp(hours):
        return (start + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")
    values = {
        "START": stamp(2), "EARLIER": stamp(1), "LATE": stamp(4), "OUTSIDE": stamp(-30), "OUTSIDE_END": stamp(-29),
        "OTHER_TRACK": other.track.pk, "OTHER_SPEAKER": [other.speaker.pk],
    }  # fmt: skip
    overrides = {
        name: values.get(value, value) if isinstance(value, str) else value for name, value in overrides.items()
    }
    data = session_data(program, **overrides)
    if overrides.get("ends_at", "") is None:
        data.pop("ends_at", None)

    response = organizer.post(url("session-edit", organizer.event, session.pk), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    session.refresh_from_db()
    assert (session.title, session.state, session.starts_at) == ("Untouched", "pending", None)
    assert not session.speakers.exists()
    if field != "state":  # a new session may start in any state
        response = organizer.post(url("session-create", organizer.event), data)
        assert response.status_code == 200
        assert not Session.objects.filter(title="Scaling Postgres").exists()


# --- speakers --------------------------------------------------------------------------------------------------
def test_the_speakers_table(organizer):
    program = organizer.program
    session = SessionFactory(event=organizer.event, title="On stage")
    program.speaker.sessions.add(session)
    Speaker.objects.filter(pk=program.speaker.pk).update(organisation="FOSSASIA", is_featured=True)
    html = organizer.get(url("speaker-list", organizer.event)).content.decode()
    for text in (program.speaker.name, "FOSSASIA", program.speaker.email, "On stage", "Featured"):
        assert text in html
    assert f'href="{url("speaker-edit", organizer.event, program.speaker.pk)}"' in html


def speaker_data(**overrides):
    data = {"name": "Grace Hopper", "email": "Grace@Example.org", "organisation": "Navy",
            "short_biography": "<p>Wrote <i>compilers</i><img src=x onerror=alert(1)></p>",
            "is_featured": "on"}  # fmt: skip
    data.update(overrides)
    return data


def test_creating_and_editing_a_speaker(organizer):
    response = organizer.post(url("speaker-create", organizer.event), speaker_data())
    assert response.status_code == 302
    speaker = Speaker.objects.get(name="Grace Hopper")
    assert (speaker.email, speaker.is_featured) == ("grace@example.org", True)
    assert speaker.short_biography == "<p>Wrote <i>compilers</i></p>"

    response = organizer.post(
        url("speaker-edit", organizer.event, speaker.pk), speaker_data(name="Rear Admiral Hopper", is_featured="")
    )
    assert response.status_code == 302
    speaker.refresh_from_db()
    assert (speaker.name, speaker.is_featured) == ("Rear Admiral Hopper", False)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "TAKEN"}, "email"),
        ({"website": "nope nope"}, "website"),
    ],
)
def test_bad_speaker_input_is_a_form_error_and_nothing_is_stored(organizer, overrides, field):
    program = organizer.program
    if overrides.get("email") == "TAKEN":
        overrides = {"email": program.speaker.email.upper()}
    target = SpeakerFactory(event=organizer.event, name="Untouched")
    response = organizer.post(url("speaker-edit", organizer.event, target.pk), speaker_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    target.refresh_from_db()
    assert target.name == "Untouched"
    response = organizer.post(url("speaker-create", organizer.event), speaker_data(**overrides))
    assert response.status_code == 200
    assert not Speaker.objects.filter(name="Grace Hopper").exists()


def test_a_plain_user_cannot_create_a_speaker_through_the_page(client, program):
    as_user(client, UserFactory())
    assert client.post(url("speaker-create", program.event), speaker_data()).status_code == 403
    assert not Speaker.objects.filter(name="Grace Hopper").exists()


def test_session_times_are_read_and_shown_in_the_events_time_zone(client):
    singapore = zoneinfo.ZoneInfo("Asia/Singapore")
    starts = datetime.datetime(2031, 5, 1, 9, 0, tzinfo=singapore)
    program = Program(timezone="Asia/Singapore", starts_at=starts, ends_at=starts + datetime.timedelta(days=1))
    as_user(client, program.people["coorganizer"])
    data = session_data(program, starts_at="2031-05-01T10:30", ends_at="2031-05-01T11:15")
    response = client.post(url("session-edit", program.event, program.own_session.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    session = Session.objects.get(pk=program.own_session.pk)
    assert session.starts_at == datetime.datetime(2031, 5, 1, 10, 30, tzinfo=singapore)
    form = client.get(url("session-edit", program.event, session.pk)).context["form"]
    assert 'value="2031-05-01T10:30"' in str(form["starts_at"])
    html = client.get(url("session-list", program.event)).content.decode()
    assert "Thu 1 May, 10:30" in html
