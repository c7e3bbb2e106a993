"""Attacks on the admin's forms as a hostile (or careless) administrator's posts would make them."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from events.models import Role, SpeakersCall, UsersEventsRoles
from events.tests.factories import EventFactory, event_with_owner
from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["²", "\u0661", "-1", "1.0", " 1", "9" * 40])
def test_a_posted_event_that_is_no_id_leaves_the_forms_timezone_unknown(posted):
    """``"²".isdigit()`` is true but ``int("²")`` fails: the timezone lookup of an add form must
    not turn an odd ``event`` value into a 500 (the form says what is wrong with it)."""
    EventFactory(timezone="Asia/Singapore")
    request = RequestFactory().post("/admin/events/speakerscall/add/", {"event": posted})
    assert site._registry[SpeakersCall].form_time_zone(request, None) is None


def test_a_posted_event_id_gives_the_form_its_timezone():
    event = EventFactory(timezone="Asia/Singapore")
    request = RequestFactory().post("/admin/events/speakerscall/add/", {"event": str(event.pk)})
    assert site._registry[SpeakersCall].form_time_zone(request, None) == "Asia/Singapore"


@pytest.mark.parametrize(
    ("zone", "field", "day", "clock"),
    [("Asia/Tokyo", "starts_at", "0001-01-01", "00:00:00"), ("America/Adak", "ends_at", "9999-12-31", "23:59:00")],
)
def test_an_admin_date_that_is_no_utc_time_is_a_form_error_not_a_500(client, zone, field, day, clock):
    """The change form reads times in the event's timezone: year 1 east of Greenwich (or 9999 west
    of it) is no time in UTC."""
    client.force_login(UserFactory(is_admin=True))
    event, _ = event_with_owner(timezone=zone)
    before = (event.starts_at, event.ends_at)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(client.get(url), **{f"{field}_0": day, f"{field}_1": clock})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == ["Choose a date between the years 1 and 9999."]
    event.refresh_from_db()
    assert (event.starts_at, event.ends_at) == before


@pytest.mark.parametrize("posted", ["²", "1.0", "9" * 40, "-1"])
@pytest.mark.parametrize(
    ("changelist", "field"),
    [("events_track", "event"), ("events_userseventsroles", "user"), ("events_reviewer", "tracks")],
)
def test_a_posted_key_that_is_no_key_is_a_form_error_on_an_autocomplete_field(client, changelist, field, posted):
    """Django's autocomplete widget looks the posted value up again to show it on the refused form;
    a value that is no key (or too large for one) must not turn that into a 500."""
    client.force_login(UserFactory(is_admin=True))
    event, _ = event_with_owner()
    url = reverse(f"admin:{changelist}_add")
    data = change_form_data(client.get(url), **{"event": str(event.pk), "name": "Odd", field: posted})

    response = client.post(url, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


@pytest.mark.parametrize("posted", ["²", "9" * 40])
def test_a_team_row_naming_no_user_is_an_inline_error_not_a_500(client, posted):
    client.force_login(UserFactory(is_admin=True))
    event, owner = event_with_owner()
    url = reverse("admin:events_event_change", args=[event.pk])
    page = client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    role = Role.objects.get(name=Role.ORGANIZER)
    data = change_form_data(page, **{
        f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-1-user": posted, f"{prefix}-1-role": str(role.pk),
        f"{prefix}-1-event": str(event.pk),
    })  # fmt: skip

    response = client.post(url, data)

    assert response.status_code == 200
    assert "user" in response.context["inline_admin_formsets"][0].formset.forms[1].errors
    assert list(UsersEventsRoles.objects.filter(event=event).values_list("user", flat=True)) == [owner.pk]
