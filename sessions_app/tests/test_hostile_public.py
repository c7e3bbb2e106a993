"""Hostile visitors of the public site: each test is an attack that must fail."""
import pytest
from django.http import QueryDict
from django.utils import timezone

from events import versions
from events.models import Event, Microlocation, Track
from sessions_app.models import Session
from sessions_app.public_schedule import ScheduleFilters
from sessions_app.services.schedule import unpublish_schedule
from sessions_app.tests.public_world import PublicWorld

pytestmark = pytest.mark.django_db

HUGE_PK = "9" * 30
ATTACK = '</style><script>alert("x")</script>'
ESCAPED = "&lt;/style&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


@pytest.fixture
def w():
    return PublicWorld()


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("state", [Session.State.WITHDRAWN, Session.State.PENDING])
def test_a_released_session_withdrawn_or_pending_again_leaves_every_public_page(client, w, state):
    Session.objects.filter(pk=w.talk.pk).update(state=state)
    versions.bump([w.event.pk])
    assert "Open hardware for all" not in text(client.get(w.url("schedule/")))
    assert "Open hardware for all" not in text(client.get(w.url("schedule/?view=grid")))
    assert f"s{w.talk.pk} " not in text(client.get(w.url("schedule/grid.css")))
    assert client.get(w.url(f"sessions/{w.talk.pk}.ics")).status_code == 404
    assert "Alice Jansen" not in text(client.get(w.url("speakers/")))


@pytest.mark.parametrize("how", ["private", "draft", "trashed"])
def test_hidden_events_serve_no_calendar_file_or_grid_stylesheet(client, w, how):
    if how == "trashed":
        Event.objects.filter(pk=w.event.pk).update(deleted_at=timezone.now())
    else:
        change = {"privacy": "private"} if how == "private" else {"state": "draft"}
        Event.objects.filter(pk=w.event.pk).update(**change)
    for page in (f"sessions/{w.talk.pk}.ics", "schedule/grid.css", "speakers/", f"speakers/{w.alice.pk}/"):
        assert client.get(w.url(page)).status_code == 404, page


@pytest.mark.parametrize("session", ["pending", "rejected", "unscheduled"])
def test_unshown_sessions_have_no_calendar_file(client, w, session):
    assert client.get(w.url(f"sessions/{getattr(w, session).pk}.ics")).status_code == 404


def test_names_organizers_typed_are_escaped_in_list_grid_tracks_rooms_and_blocks(client, w):
    Microlocation.objects.filter(pk=w.room.pk).update(name=ATTACK)
    Track.objects.filter(pk=w.track.pk).update(name=ATTACK)
    w.block(ATTACK, 6)
    w.release()
    pages = ("schedule/", "schedule/?view=grid", "tracks/", "rooms/", f"sessions/{w.talk.pk}/")
    for page in pages:
        html = text(client.get(w.url(page)))
        assert "<script>alert" not in html, page
        assert ESCAPED in html, page


def test_the_grid_stylesheet_holds_no_typed_text(client, w):
    Microlocation.objects.filter(pk=w.room.pk).update(name="} body { display: none } /*")
    w.block("} * { background: url(//evil.example/) } /*", 6)
    w.release()
    css = text(client.get(w.url("schedule/grid.css")))
    assert "evil.example" not in css
    assert "display: none" not in css


def test_the_calendar_file_of_a_session_cannot_be_given_extra_lines(client, w):
    Session.objects.filter(pk=w.talk.pk).update(title="Talk\r\nATTENDEE:mailto:victim@example.org")
    versions.bump([w.event.pk])
    response = client.get(w.url(f"sessions/{w.talk.pk}.ics"))
    body = text(response)
    assert "\r\nATTENDEE:" not in body
    assert response["Content-Disposition"] == f'attachment; filename="session-{w.talk.pk}.ics"'


@pytest.mark.parametrize("address", [f"sessions/{HUGE_PK}/", f"sessions/{HUGE_PK}.ics", f"speakers/{HUGE_PK}/"])
def test_huge_ids_are_not_found_not_a_crash(client, w, address):
    assert client.get(w.url(address)).status_code == 404


def test_a_huge_search_is_cut_and_does_not_grow_the_cache(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    html = text(client.get(w.url("schedule/"), {"q": "x" * 100_000}))
    assert "x" * 201 not in html
    longer = ScheduleFilters.from_query(QueryDict(f"q={'x' * 100_001}")).cache_key
    assert longer == ScheduleFilters.from_query(QueryDict(f"q={'x' * 200}")).cache_key


def test_ignored_and_repeated_parameters_make_no_cache_entries_of_their_own(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    plain = ScheduleFilters.from_query(QueryDict("")).cache_key
    junk = "&".join(f"junk{i}=y&utm={i}&q=&q=" for i in range(50))
    assert ScheduleFilters.from_query(QueryDict(junk)).cache_key == plain
    assert "junk" not in text(client.get(w.url("schedule/") + "?" + junk))


@pytest.mark.parametrize("params", [{"q": "\x00\u202e"}, {"q": "é" * 300}, {"day": "2031-02-30"}, {"day": "x" * 500},
                                    {"track": HUGE_PK}, {"room": "-1"}, {"type": "abc"}, {"view": "<x>"}])  # fmt: skip
def test_odd_query_values_are_not_a_crash(client, w, params):
    response = client.get(w.url("schedule/"), params)
    assert response.status_code in (200, 400)
    assert "<x>" not in response.content.decode()


def test_private_speaker_fields_stay_off_speaker_pages(client, w):
    w.public_field("speaker", "tshirt", "T-shirt", public=False)
    for page in ("speakers/", f"speakers/{w.alice.pk}/", "schedule/", f"sessions/{w.talk.pk}/"):
        html = text(client.get(w.url(page)))
        for secret in ("alice-private@example.org", "+65 1234 9876", "XL-SECRET"):
            assert secret not in html, (page, secret)


SCRIPTED = '<p>Hi</p><script>alert(1)</script><img src=x onerror="alert(2)"><a href="javascript:alert(3)">l</a>'


def test_rich_text_written_over_the_api_is_sanitized_on_the_public_pages(client, api, w):
    api.as_user(w.owner)
    docs = [
        (f"/v1/sessions/{w.talk.pk}", "session", w.talk.pk, {"long-abstract": SCRIPTED, "short-abstract": SCRIPTED}),
        (f"/v1/speakers/{w.alice.pk}", "speaker", w.alice.pk, {"long-biography": SCRIPTED}),
        (f"/v1/tracks/{w.track.pk}", "track", w.track.pk, {"description": SCRIPTED}),
    ]
    for url, kind, pk, attributes in docs:
        response = api.patch(url, {"data": {"type": kind, "id": str(pk), "attributes": attributes}})
        assert response.status_code == 200, (url, response.status_code)
    versions.bump([w.event.pk])
    for page in ("schedule/", f"sessions/{w.talk.pk}/", f"speakers/{w.alice.pk}/", "tracks/"):
        html = text(client.get(w.url(page)))
        for bad in ("<script>alert", "onerror=", "javascript:alert"):
            assert bad not in html, (page, bad)


def test_an_unpublished_schedule_leaves_no_session_speaker_calendar_or_grid_entry(client, w):
    unpublish_schedule(w.owner, w.event)
    assert client.get(w.url(f"sessions/{w.talk.pk}/")).status_code == 404
    assert client.get(w.url(f"sessions/{w.talk.pk}.ics")).status_code == 404
    assert client.get(w.url(f"speakers/{w.alice.pk}/")).status_code == 404
    assert "Alice Jansen" not in text(client.get(w.url("speakers/")))
    assert "Open hardware" not in text(client.get(w.url("schedule/?view=grid")))
    assert f"#grid-s{w.talk.pk} " not in text(client.get(w.url("schedule/grid.css")))


def test_a_public_speakers_page_lists_none_of_their_hidden_sessions(client, w):
    w.pending.speakers.add(w.alice)
    w.rejected.speakers.add(w.alice)
    versions.bump([w.event.pk])
    html = text(client.get(w.url(f"speakers/{w.alice.pk}/")))
    assert "Open hardware for all" in html
    assert "Pending secret talk" not in html
    assert "Rejected secret talk" not in html


def test_a_drafts_grid_stylesheet_seen_by_its_team_is_not_shared_by_caches(client, w):
    Event.objects.filter(pk=w.event.pk).update(state="draft")
    client.force_login(w.owner)
    response = client.get(w.url("schedule/grid.css"), {"v": w.event.program_version})
    assert response.status_code == 200
    # Browsers may keep the versioned stylesheet, but a shared cache must key it by the visitor.
    assert "public" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    client.logout()
    assert client.get(w.url("schedule/grid.css"), {"v": w.event.program_version}).status_code == 404


def test_one_view_or_filter_never_serves_another_from_the_cache(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    listed = text(client.get(w.url("schedule/")))
    grid = text(client.get(w.url("schedule/?view=grid")))
    assert listed != grid
    assert text(client.get(w.url("schedule/?view=grid"))) == grid
    searched = text(client.get(w.url("schedule/"), {"q": "Keynote"}))
    assert "Open hardware for all" in searched  # in the page, hidden: the live search shows it again
    assert 'value="Keynote"' in searched
    assert 'value="Keynote"' not in text(client.get(w.url("schedule/")))
    upper = text(client.get(w.url("schedule/"), {"q": "KEYNOTE"}))
    assert 'value="KEYNOTE"' in upper


def test_a_search_is_not_reflected_as_markup(client, w, settings):
    settings.API_DOCUMENT_CACHE = True
    for q in ('"><script>alert(1)</script>', "</textarea><img src=x onerror=alert(1)>"):
        html = text(client.get(w.url("schedule/"), {"q": q}))
        assert "<script>alert" not in html
        assert "<img src=x" not in html
