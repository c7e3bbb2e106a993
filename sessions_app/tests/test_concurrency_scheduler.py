"""Two organizers scheduling at once, with real parallel requests on PostgreSQL
(``openevent.users.tests.parallel``): each request has read the session before either writes,
and both stand at the service's lock when the first goes on.

- Both move the same session, each against the version they read (the scheduler page's
  ``last-modified-at`` precondition, over its session cookie and CSRF token as its ``fetch``
  sends it, and an API client's PATCH with a JWT): one move lands, the other is told with 409
  that someone else changed the session, and the row is the winner's.
- Both move a different session into the same room at the same time: one lands, the other is
  told with 422 that the room is booked, and the room holds one session then.
- One renames a session while the other moves it, neither with the precondition: both land
  (``update_session`` re-reads the locked row before it writes).
"""
import datetime
import json
import re
from functools import partial

import pytest
from django.utils import timezone

from events.models import Microlocation, Role
from events.tests.factories import EventFactory, MicrolocationFactory, give_role
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.parallel import POSTGRES_ONLY, at_once
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory

pytestmark = [POSTGRES_ONLY, pytest.mark.usefixtures("seeded_roles")]

BLOB = re.compile(r'<script id="scheduler-data" type="application/json">(.*?)</script>', re.S)
STALE = "This session was changed by someone else since you read it"


class Team:
    """An event a month ahead from 09:00 to 18:00 with two rooms, its owner and an organizer,
    a session at 09:00 in Hall A and two unscheduled talks."""

    def __init__(self):
        day = (timezone.now() + datetime.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
        self.start = day
        self.event = EventFactory(starts_at=day, ends_at=day + datetime.timedelta(hours=9),
                                  is_sessions_speakers_enabled=True)  # fmt: skip
        self.owner, self.organizer = UserFactory(), UserFactory()
        give_role(self.owner, self.event, Role.OWNER)
        give_role(self.organizer, self.event, Role.ORGANIZER)
        self.hall_a = MicrolocationFactory(event=self.event, name="Hall A", position=0)
        self.hall_b = MicrolocationFactory(event=self.event, name="Hall B", position=1)
        self.opening = SessionFactory(event=self.event, title="Opening", microlocation=self.hall_a,
                                      starts_at=self.at(0), ends_at=self.at(30))  # fmt: skip
        self.talks = [SessionFactory(event=self.event, title=title) for title in ("Talk one", "Talk two")]

    def at(self, minutes):
        return self.start + datetime.timedelta(minutes=minutes)


def move(session_id, room, starts_at, ends_at, last_modified_at=None):
    """The PATCH the scheduler page sends for a move (``static/js/scheduler.js``, ``patch``)."""
    attributes = {"starts-at": starts_at.isoformat(), "ends-at": ends_at.isoformat()}
    if last_modified_at is not None:
        attributes["last-modified-at"] = last_modified_at
    return {
        "data": {
            "type": "session",
            "id": str(session_id),
            "attributes": attributes,
            "relationships": {"microlocation": {"data": {"type": "microlocation", "id": str(room.pk)}}},
        }
    }


class SchedulerPage:
    """An organizer with the scheduler page open: its data blob and CSRF token, then PATCHes of
    ``/v1/sessions/<id>`` over the session cookie, as the page's script."""

    def __init__(self, browsers, team, user):
        self.browser = browsers(user)
        page = f"/events/{team.event.identifier}/schedule/"
        self.token = self.browser.csrf(page)
        blob = json.loads(BLOB.search(self.browser.get(page).text).group(1))
        self.read = {row["id"]: row["last_modified_at"] for row in blob["sessions"]}

    def move(self, session, room, starts_at, ends_at):
        body = move(session.pk, room, starts_at, ends_at, self.read[session.pk])
        return self.browser.patch_json(f"/v1/sessions/{session.pk}", body, csrf=self.token)


class ApiClient:
    """An API client with a JWT that read the session before changing it."""

    def __init__(self, browsers, team, user):
        self.browser = browsers(user, jwt=True)
        self.read = {}
        for session in (team.opening, *team.talks):
            response = self.browser.get(f"/v1/sessions/{session.pk}", headers={"Accept": "application/vnd.api+json"})
            self.read[session.pk] = response.json()["data"]["attributes"]["last-modified-at"]

    def move(self, session, room, starts_at, ends_at):
        body = move(session.pk, room, starts_at, ends_at, self.read[session.pk])
        return self.browser.patch_json(f"/v1/sessions/{session.pk}", body)


CLIENTS = {"scheduler-page": SchedulerPage, "api-jwt": ApiClient}


def error_of(response, status):
    assert response.status_code == status, response.text[:500]
    (error,) = response.json()["errors"]
    assert error["status"] == str(status)
    return error


@pytest.mark.parametrize("kind", sorted(CLIENTS))
def test_two_organizers_moving_one_session_at_once_one_wins_the_other_is_told(browsers, kind):
    team = Team()
    first, second = (CLIENTS[kind](browsers, team, user) for user in (team.owner, team.organizer))
    places = [(team.hall_b, team.at(60), team.at(90)), (team.hall_a, team.at(300), team.at(330))]

    answers = at_once(
        [lambda: first.move(team.opening, *places[0]), lambda: second.move(team.opening, *places[1])],
        behind=Session.objects.filter(pk=team.opening.pk),
    )

    assert sorted(answer.status_code for answer in answers) == [200, 409], [a.text[:300] for a in answers]
    won = next(i for i, answer in enumerate(answers) if answer.status_code == 200)
    lost = answers[1 - won]
    assert error_of(lost, 409)["detail"].startswith(STALE)
    room, starts_at, ends_at = places[won]
    row = Session.objects.get(pk=team.opening.pk)
    assert (row.microlocation_id, row.starts_at, row.ends_at) == (room.pk, starts_at, ends_at)
    attributes = answers[won].json()["data"]["attributes"]
    assert datetime.datetime.fromisoformat(attributes["last-modified-at"]) == row.last_modified_at
    # The one who lost reads the session again and moves it against the winner's version.
    retry = move(team.opening.pk, *places[1 - won], attributes["last-modified-at"])
    loser = (first, second)[1 - won]
    again = loser.browser.patch_json(f"/v1/sessions/{team.opening.pk}", retry,
                                     csrf=getattr(loser, "token", None))  # fmt: skip
    assert again.status_code == 200, again.text[:300]


@pytest.mark.parametrize("kind", sorted(CLIENTS))
def test_two_sessions_moved_into_one_room_and_time_at_once_only_one_lands(browsers, kind):
    team = Team()
    first, second = (CLIENTS[kind](browsers, team, user) for user in (team.owner, team.organizer))
    slot = (team.hall_b, team.at(120), team.at(165))

    answers = at_once(
        [lambda: first.move(team.talks[0], *slot), lambda: second.move(team.talks[1], *slot)],
        behind=Microlocation.all_objects.filter(pk=team.hall_b.pk),
    )

    assert sorted(answer.status_code for answer in answers) == [200, 422], [a.text[:300] for a in answers]
    won = next(i for i, answer in enumerate(answers) if answer.status_code == 200)
    error = error_of(answers[1 - won], 422)
    assert f"Hall B is already booked for “{team.talks[won].title}”" in error["detail"]
    assert error["source"]["pointer"] == "/data/attributes/starts-at"
    booked = Session.objects.filter(microlocation=team.hall_b).values_list("title", flat=True)
    assert list(booked) == [team.talks[won].title]
    unmoved = Session.objects.get(pk=team.talks[1 - won].pk)
    assert (unmoved.microlocation_id, unmoved.starts_at, unmoved.ends_at) == (None, None, None)


def test_a_rename_and_a_move_of_one_session_at_once_both_land(browsers):
    """API clients without the precondition change different attributes of one session at once:
    each PATCH changes only what it sends, so neither undoes the other."""
    team = Team()
    renamer, mover = (browsers(user, jwt=True) for user in (team.owner, team.organizer))
    url = f"/v1/sessions/{team.opening.pk}"
    rename = {"data": {"type": "session", "id": str(team.opening.pk), "attributes": {"title": "Keynote"}}}

    answers = at_once(
        [partial(renamer.patch_json, url, rename),
         partial(mover.patch_json, url, move(team.opening.pk, team.hall_b, team.at(60), team.at(90)))],
        behind=Session.objects.filter(pk=team.opening.pk),
    )  # fmt: skip

    assert [answer.status_code for answer in answers] == [200, 200], [a.text[:300] for a in answers]
    row = Session.objects.get(pk=team.opening.pk)
    assert (row.title, row.microlocation_id, row.starts_at, row.ends_at) == (
        "Keynote", team.hall_b.pk, team.at(60), team.at(90)
    )
