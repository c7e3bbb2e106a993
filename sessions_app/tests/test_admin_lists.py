"""Django admin lists: the columns an operator reads, speaker search, and a constant number of
queries whatever the number of rows.

``QUERIES`` pins each changelist's count, for one row and for many (``MANY``) rows alike: a list
that starts to load per row fails whatever the number; one that gains a query shows as a changed
number. Lower a number when a change makes a list cheaper; never raise one without a reason.
"""
import datetime

import pytest
from django.urls import reverse

from events import services as event_services
from events.models import Role
from events.tests.factories import SpeakersCallFactory, TrackFactory, event_with_owner
from openevent.core.tests.admin_helpers import changelist_queries
from openevent.users.tests.factories import UserFactory
from sessions_app.models import Session
from sessions_app.tests.factories import SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

MANY = 4

# changelist -> queries. Each runs 5: the session, the user, two counts (the filtered rows and
# the whole table) and the page's rows with their owner, counts and related rows. Then:
QUERIES = {
    "events_event": 7,  # + the date hierarchy's range and days
    "events_userseventsroles": 8,  # + the roles of the role filter, the date hierarchy
    "events_roleinvite": 8,  # + the roles of the role filter, the date hierarchy
    "events_speakerscall": 5,
    "sessions_app_session": 8,  # + the speakers of the page's sessions, the date hierarchy
    "sessions_app_speaker": 5,
    "users_user": 7,  # + the date hierarchy
}


def add_events(n):
    """``n`` events, each with an owner, a trashed and a live session of two speakers in a
    track, a call for speakers and a pending invite."""
    for i in range(n):
        event, owner = event_with_owner(timezone="Asia/Singapore")
        SpeakersCallFactory(event=event)
        session = SessionFactory(event=event, track=TrackFactory(event=event), state=Session.State.ACCEPTED)
        session.speakers.add(SpeakerFactory(event=event, user=UserFactory()), SpeakerFactory(event=event))
        SessionFactory(event=event).soft_delete()
        event_services.invite(owner, event, f"guest{event.pk}-{i}@example.org", Role.MODERATOR)


@pytest.fixture
def admin_browser(client):
    client.force_login(UserFactory(is_admin=True))
    return client


def test_every_list_runs_the_same_pinned_number_of_queries_for_one_and_many_rows(admin_browser):
    add_events(1)
    one = changelist_queries(admin_browser, QUERIES)
    add_events(MANY - 1)
    many = changelist_queries(admin_browser, QUERIES)

    assert one == QUERIES
    assert many == QUERIES


def test_the_event_list_shows_owner_state_local_dates_and_live_counts(admin_browser):
    start = datetime.datetime(2031, 4, 10, 1, 0, tzinfo=datetime.UTC)
    event, owner = event_with_owner(
        timezone="Asia/Singapore", starts_at=start, ends_at=start + datetime.timedelta(hours=9), state="draft"
    )
    session = SessionFactory(event=event)
    session.speakers.add(SpeakerFactory(event=event), SpeakerFactory(event=event))
    SessionFactory(event=event).soft_delete()

    page = admin_browser.get(reverse("admin:events_event_changelist")).content.decode()

    assert owner.email in page
    assert "2031-04-10 09:00 – 2031-04-10 18:00 Asia/Singapore" in page
    assert '<td class="field-sessions_count">1</td>' in page  # the trashed one not counted
    assert '<td class="field-speakers_count">2</td>' in page
    assert '<td class="field-state">Draft</td>' in page


def test_the_session_list_shows_speakers_and_search_finds_a_session_by_a_speaker_name(admin_browser):
    event, _ = event_with_owner()
    talk = SessionFactory(event=event, title="Observability on a budget", track=TrackFactory(event=event, name="Ops"))
    talk.speakers.add(SpeakerFactory(event=event, name="Ada Lovelace"), SpeakerFactory(event=event, name="Ada Byron"))
    SessionFactory(event=event, title="Unrelated")
    url = reverse("admin:sessions_app_session_changelist")

    page = admin_browser.get(url).content.decode()
    assert '<td class="field-speaker_names">Ada Byron, Ada Lovelace</td>' in page
    assert '<td class="field-track nowrap">Ops</td>' in page
    assert '<td class="field-speaker_names">-</td>' in page  # "Unrelated" has none

    found = admin_browser.get(url, {"q": "Ada"})
    assert [session.title for session in found.context["cl"].result_list] == ["Observability on a budget"]
    assert found.context["cl"].result_count == 1  # once, though two speakers match


def test_the_speaker_and_user_lists_count_live_sessions_and_events(admin_browser):
    event, owner = event_with_owner()
    event_with_owner(owner)
    trashed, _ = event_with_owner(owner)
    trashed.soft_delete()
    speaker = SpeakerFactory(event=event, user=owner)
    speaker.sessions.add(SessionFactory(event=event), SessionFactory(event=event))
    gone = SessionFactory(event=event)
    speaker.sessions.add(gone)
    gone.soft_delete()

    speakers = admin_browser.get(reverse("admin:sessions_app_speaker_changelist"), {"q": speaker.name})
    users = admin_browser.get(reverse("admin:users_user_changelist"), {"q": owner.email})

    assert '<td class="field-sessions_count">2</td>' in speakers.content.decode()
    assert owner.email in speakers.content.decode()  # the speaker's account
    assert '<td class="field-events_count">2</td>' in users.content.decode()  # not the trashed one
