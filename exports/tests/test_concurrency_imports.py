"""Imports started at once, with real parallel requests on PostgreSQL
(``openevent.users.tests.parallel``).

Celery is eager here (the root conftest): each request runs its import in its own server thread
as soon as its start commits, so two imports really run side by side in two transactions, as
on two workers. (The ``worker_queue`` worker is one solo process: it would run them one after
the other and hide what this is about.)

- Two organizers import two real Open Event zips at once: both succeed, each gets one new event
  of its own with its zip's counts and its own identifier, and the task routes tell each its
  own event.
- One user starts three imports at once with two left of the hourly cap: exactly two are
  accepted, the third is 429 and stores nothing.
"""
from functools import partial

import pytest
from django.contrib.auth import get_user_model

from events.models import Event, Role, UsersEventsRoles
from exports.models import ImportJob, JobStatus
from exports.tests.import_support import make_zip, sample
from exports.tests.test_import_refusals import good_files
from openevent.users.tests.factories import UserFactory
from openevent.users.tests.parallel import JSONAPI, POSTGRES_ONLY, at_once
from sessions_app.models import Session, Speaker

pytestmark = [POSTGRES_ONLY, pytest.mark.usefixtures("seeded_roles")]

#: Two of the real exports: a small one, and one with its media in the zip.
ZIPS = ("OpenTechSummit2017", "OSCON17")
#: Their sessions, speakers, tracks, rooms and session-speaker links (as test_import_samples pins
#: them; not imported from there: that module imports the importer before the tasks, a cycle).
PINNED = {"OSCON17": (19, 19, 7, 8, 23), "OpenTechSummit2017": (44, 69, 8, 10, 49)}


def start_import(browser, data, name="export.zip"):
    return browser.post("/v1/events/import/json", files={"file": (name, data, "application/octet-stream")})


def test_two_imports_at_once_make_two_events_of_their_own(browsers, shared_dir, settings):
    settings.SITE_URL = "https://events.example.org"
    users = [UserFactory(), UserFactory()]
    clients = [browsers(user, jwt=True) for user in users]
    calls = [partial(start_import, client, sample(shared_dir, name).read_bytes(), f"{name}.zip")
             for client, name in zip(clients, ZIPS, strict=True)]  # fmt: skip

    answers = at_once(calls)

    assert [answer.status_code for answer in answers] == [200, 200], [a.text[:300] for a in answers]
    identifiers = set()
    for user, client, name, answer in zip(users, clients, ZIPS, answers, strict=True):
        (job,) = ImportJob.objects.filter(user=user)
        assert job.status == JobStatus.SUCCESS, job.error
        assert job.original_name == f"{name}.zip"
        event = job.event
        assert UsersEventsRoles.objects.get(event=event, role__name=Role.OWNER).user == user
        sessions, speakers, tracks, rooms, links = PINNED[name]
        assert Session.objects.filter(event=event).count() == sessions == job.counts["sessions"]
        assert Speaker.objects.filter(event=event).count() == speakers
        assert event.tracks.count() == tracks
        assert event.microlocations.count() == rooms
        assert Speaker.sessions.through.objects.filter(session__event=event).count() == links
        # No cross-talk: the links of this event's sessions point at this event's speakers only.
        assert not Speaker.sessions.through.objects.filter(session__event=event).exclude(speaker__event=event).exists()
        state = client.get(answer.json()["task_url"], headers={"Accept": JSONAPI}).json()
        assert state["state"] == "SUCCESS"
        assert (state["result"]["id"], state["result"]["identifier"]) == (event.pk, event.identifier)
        identifiers.add(event.identifier)
    assert len(identifiers) == 2
    assert Event.objects.count() == 2


def test_parallel_imports_do_not_bypass_the_hourly_cap(browsers, settings):
    settings.IMPORT_MAX_PER_HOUR = 3
    user = UserFactory()
    data = make_zip(good_files())
    first = browsers(user, jwt=True)
    assert start_import(first, data).status_code == 200  # one of three: two are left
    clients = [browsers(user, jwt=True) for _ in range(3)]

    answers = at_once([partial(start_import, client, data) for client in clients],
                      behind=get_user_model().objects.filter(pk=user.pk))  # fmt: skip

    assert sorted(answer.status_code for answer in answers) == [200, 200, 429], [a.text[:300] for a in answers]
    (refused,) = [answer for answer in answers if answer.status_code == 429]
    (error,) = refused.json()["errors"]
    assert error["status"] == "429"
    assert error["detail"] == "You started 3 imports within the last hour; try again later."
    assert ImportJob.objects.filter(user=user).count() == 3
    assert ImportJob.objects.filter(user=user, status=JobStatus.SUCCESS).count() == 3
