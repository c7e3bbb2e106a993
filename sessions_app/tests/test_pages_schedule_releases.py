"""/events/<id>/schedule/releases: co-organizers see what a release would change, release the
schedule (with a comment), unpublish it, and read the versions so far; nobody else does."""

import pytest
from django.urls import reverse

from events.models import Event
from events.tests.helpers import count_queries
from sessions_app.models import ScheduleRelease
from sessions_app.services import schedule
from sessions_app.services import sessions as session_services
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db
MANAGERS = ["owner", "organizer", "coorganizer", "admin"]
TEAM_BELOW = ["track_organizer", "moderator", "registrar"]


def url(program):
    return reverse("schedule-releases", args=[program.event.identifier])


def placed(program, hours, title=None):
    return SessionFactory(
        event=program.event,
        state="accepted",
        starts_at=program.at(hours),
        ends_at=program.at(hours, 45),
        microlocation=program.room,
        **({"title": title} if title else {}),
    )


def text(response):
    return response.content.decode()


@pytest.mark.parametrize("role", MANAGERS)
def test_organizers_see_the_preview_and_release_with_a_comment(client, program, role):
    session = placed(program, 1, "Opening talk")
    client.force_login(program.people[role])
    page = client.get(url(program))
    assert page.status_code == 200
    assert "What will change" in text(page)
    assert "Opening talk" in text(page)
    assert program.room.name in text(page)
    assert "Nothing released yet." in text(page)
    response = client.post(url(program), {"action": "release", "comment": "First cut"}, follow=True)
    assert response.redirect_chain == [(url(program), 302)]
    assert "Version 1 of the schedule is released." in text(response)
    release = ScheduleRelease.objects.get()
    assert (release.version, release.comment, release.released_by) == (1, "First cut", program.people[role])
    assert [slot["session"] for slot in release.changelog["new"]] == [session.pk]
    assert Event.objects.get(pk=program.event.pk).schedule_published_on is not None
    assert "Version 1" in text(response)
    assert "First cut" in text(response)


def test_the_history_shows_each_versions_moves(client, program):
    session = placed(program, 1, "Opening talk")
    organizer = program.people["organizer"]
    schedule.release_schedule(organizer, program.event)
    session_services.update_session(organizer, session, {"starts_at": program.at(3), "ends_at": program.at(3, 45)})
    client.force_login(organizer)
    page = text(client.get(url(program)))
    assert "Moved (1)" in page
    assert "→" in page
    client.post(url(program), {"action": "release"})
    page = text(client.get(url(program)))
    assert "Version 2" in page
    assert "Version 1" in page
    assert "No session is new, moved or off the schedule since the last version." in page


def test_a_release_with_nothing_new_is_refused_on_the_page(client, program):
    placed(program, 1)
    schedule.release_schedule(program.people["organizer"], program.event)
    client.force_login(program.people["coorganizer"])
    response = client.post(url(program), {"action": "release"})
    assert response.status_code == 200
    assert "Nothing changed since version 1" in text(response)
    assert ScheduleRelease.objects.count() == 1


def test_a_too_long_comment_is_a_form_error(client, program):
    client.force_login(program.people["coorganizer"])
    response = client.post(url(program), {"action": "release", "comment": "x" * 100_001})
    assert response.status_code == 200
    assert "Ensure this value has at most" in text(response)
    assert not ScheduleRelease.objects.exists()


def test_an_unknown_action_is_a_form_error(client, program):
    client.force_login(program.people["coorganizer"])
    response = client.post(url(program), {"action": "explode"})
    assert response.status_code == 200
    assert "Choose “Release schedule” or “Unpublish”." in text(response)
    assert not ScheduleRelease.objects.exists()


def test_unpublishing_from_the_page(client, program):
    placed(program, 1)
    schedule.release_schedule(program.people["organizer"], program.event)
    client.force_login(program.people["coorganizer"])
    assert "Unpublish" in text(client.get(url(program)))
    response = client.post(url(program), {"action": "unpublish"}, follow=True)
    assert "The schedule is unpublished" in text(response)
    assert Event.objects.get(pk=program.event.pk).schedule_published_on is None
    assert ScheduleRelease.objects.count() == 1
    # Not published: no "Unpublish" button, and unpublishing again is refused in words.
    assert 'value="unpublish"' not in text(response)
    again = client.post(url(program), {"action": "unpublish"})
    assert "The schedule is not published." in text(again)


@pytest.mark.parametrize("role", TEAM_BELOW)
def test_team_members_below_coorganizer_are_refused(client, program, role):
    client.force_login(program.people[role])
    assert client.get(url(program)).status_code == 403
    assert client.post(url(program), {"action": "release"}).status_code == 403
    assert not ScheduleRelease.objects.exists()


@pytest.mark.parametrize("role", ["speaker", "plain", "other_organizer"])
def test_people_without_a_role_are_refused(client, program, role):
    client.force_login(program.people[role])
    assert client.get(url(program)).status_code == 403
    assert client.post(url(program), {"action": "release"}).status_code == 403
    assert not ScheduleRelease.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, program):
    response = client.post(url(program), {"action": "release"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not ScheduleRelease.objects.exists()


def test_a_draft_events_page_is_404_below_coorganizer(client, program):
    Event.objects.filter(pk=program.event.pk).update(state=Event.State.DRAFT)
    client.force_login(program.people["moderator"])
    assert client.get(url(program)).status_code == 404


def test_the_forms_carry_the_csrf_token(program):
    from django.test import Client  # noqa: PLC0415 (a client that checks CSRF, for this test only)

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(program.people["coorganizer"])
    assert strict.post(url(program), {"action": "release"}).status_code == 403
    assert not ScheduleRelease.objects.exists()
    page = text(strict.get(url(program)))
    assert page.count('name="csrfmiddlewaretoken"') >= 1


def test_the_nav_links_the_page_for_coorganizers_only(client, program):
    link = f'href="{url(program)}"'
    client.force_login(program.people["coorganizer"])
    assert link in text(client.get(reverse("session-list", args=[program.event.identifier])))
    client.force_login(program.people["moderator"])
    assert link not in text(client.get(reverse("session-list", args=[program.event.identifier])))


@pytest.mark.parametrize("rows", [1, 12])
def test_the_page_runs_a_fixed_number_of_queries(client, program, rows):
    organizer = program.people["organizer"]
    sessions = [placed(program, hours % 20, f"Talk {hours}") for hours in range(rows)]
    schedule.release_schedule(organizer, program.event)
    # Every session moves ten minutes later in its own hour (the room is never double-booked).
    for hours, session in enumerate(sessions):
        session_services.update_session(
            organizer, session, {"starts_at": program.at(hours % 20, 10), "ends_at": program.at(hours % 20, 55)}
        )
    schedule.release_schedule(organizer, program.event)
    placed(program, 23)
    client.force_login(program.people["coorganizer"])
    response, queries = count_queries(lambda: client.get(url(program)))
    assert response.status_code == 200
    assert text(response).count("Talk ") >= rows * 2
    assert queries == QUERIES


# Session and user, the event, the roles (team check), the bell's unread count, the rooms, the
# preview (latest release, rooms, sessions, blocks), the releases with who released them, the
# reviewer row of the navigation.
QUERIES = 12
