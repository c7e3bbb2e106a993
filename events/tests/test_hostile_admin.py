"""Attacks on the admin's forms as a hostile (or careless) administrator's posts would make them."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from events.models import SpeakersCall
from events.tests.factories import EventFactory

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
