"""Django admin for the session and speaker forms' fields, reviewers and review settings: every
write through the services (the forms builder's and the reviews'), refusals as form errors or
messages, never a 500, and lists that run a pinned number of queries whatever their size."""
import datetime

import pytest
from django.urls import reverse

from events.models import CustomForm, Reviewer, ReviewSettings, Role
from events.services import custom_forms
from events.services import reviews as review_services
from events.tests.factories import TrackFactory, event_with_owner, give_role
from openevent.core.tests.admin_helpers import change_form_data, changelist_queries
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MANY = 4

# changelist -> queries. Each runs 5: the session, the user, two counts (the filtered rows and the
# whole table) and the page's rows with their event (and user). Then:
QUERIES = {
    "events_customform": 5,
    "events_reviewer": 7,  # + the tracks of the page's reviewers, the events of the event filter
    "events_reviewsettings": 5,
}


def add_events(n):
    """``n`` events, each with its session form (built-in rows and a custom field), a reviewer of
    two tracks and review settings."""
    for i in range(n):
        event, owner = event_with_owner(timezone="Asia/Singapore")
        custom_forms.create_field(owner, event, {"name": f"T-shirt size {i}", "type": "text"})
        reviewer = UserFactory()
        give_role(reviewer, event, Role.MODERATOR)
        tracks = [TrackFactory(event=event), TrackFactory(event=event)]
        review_services.mark_reviewer(owner, event, reviewer, tracks)
        review_services.update_review_settings(owner, event, score_max=5, ends_at=event.starts_at)


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


@pytest.fixture
def world():
    """An event with its session form (built in rows and one custom field), a moderator marked as
    a reviewer of one track, and review settings."""
    event, owner = event_with_owner(name="Forms Conf", timezone="Asia/Singapore")
    shirt = {"name": "T-shirt size", "type": "select", "options": ["S", "M"]}
    custom, _ = custom_forms.create_field(owner, event, shirt)
    moderator = UserFactory(email="moderator@example.org")
    give_role(moderator, event, Role.MODERATOR)
    track = TrackFactory(event=event, name="Cloud")
    reviewer = review_services.mark_reviewer(owner, event, moderator, [track])
    settings = review_services.update_review_settings(owner, event, score_max=4)
    return {
        "event": event,
        "owner": owner,
        "custom": custom,
        "title": CustomForm.objects.get(event=event, form="session", field_identifier="title"),
        "abstract": CustomForm.objects.get(event=event, form="session", field_identifier="shortAbstract"),
        "moderator": moderator,
        "track": track,
        "reviewer": reviewer,
        "settings": settings,
    }


PAGES = [("customform", "custom"), ("customform", "title"), ("reviewer", "reviewer"), ("reviewsettings", "settings")]


@pytest.mark.parametrize(("model", "key"), PAGES)
def test_admin_opens_changelist_change_and_add_pages(admin_browser, world, model, key):
    assert admin_browser.get(reverse(f"admin:events_{model}_changelist")).status_code == 200
    assert admin_browser.get(reverse(f"admin:events_{model}_change", args=[world[key].pk])).status_code == 200
    assert admin_browser.get(reverse(f"admin:events_{model}_add")).status_code == 200


@pytest.mark.parametrize("who", ["stranger", "owner", "moderator"])
@pytest.mark.parametrize(("model", "key"), PAGES)
def test_anyone_but_an_administrator_is_sent_to_the_admin_login(client, world, who, model, key):
    """Organizers and reviewers shape forms and reviews on their own pages, not here."""
    client.force_login(world.get(who) or UserFactory())
    before = CustomForm.objects.count()

    for url in (
        reverse(f"admin:events_{model}_changelist"),
        reverse(f"admin:events_{model}_change", args=[world[key].pk]),
        reverse(f"admin:events_{model}_add"),
        reverse(f"admin:events_{model}_delete", args=[world[key].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    posted = client.post(reverse(f"admin:events_{model}_delete", args=[world[key].pk]), {"post": "yes"})
    assert posted.status_code == 302
    assert type(world[key]).objects.filter(pk=world[key].pk).exists()
    assert CustomForm.objects.count() == before


# --- form fields -------------------------------------------------------------------------------------
def test_the_field_list_shows_filters_and_finds_fields(admin_browser, world):
    url = reverse("admin:events_customform_changelist")

    page = admin_browser.get(url)
    found = admin_browser.get(url, {"q": "shirt"})
    custom_only = admin_browser.get(url, {"is_complex__exact": "1"})
    required = admin_browser.get(url, {"is_required__exact": "1", "form__exact": "session"})

    assert page.status_code == 200
    assert "T-shirt size" in page.content.decode()
    assert [row.pk for row in found.context["cl"].result_list] == [world["custom"].pk]
    assert [row.pk for row in custom_only.context["cl"].result_list] == [world["custom"].pk]
    assert [row.field_identifier for row in required.context["cl"].result_list] == ["title"]
    assert admin_browser.get(url, {"type__exact": "select"}).context["cl"].result_count == 3  # track, type, shirt


def add_form(client, **changes):
    url = reverse("admin:events_customform_add")
    return client.post(url, change_form_data(client.get(url), **changes))


def test_a_field_added_in_admin_is_a_custom_field_named_from_its_label(admin_browser, world):
    event = world["event"]
    last = CustomForm.objects.filter(event=event, form="session").order_by("-position").first()

    response = add_form(admin_browser, event=str(event.pk), form="session", name="Dietary needs?", type="text")

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    row = CustomForm.objects.get(event=event, name="Dietary needs?")
    assert (row.field_identifier, row.is_complex, row.is_fixed) == ("dietary-needs", True, False)
    assert row.position == last.position + 1


def test_a_field_added_with_its_own_identifier_and_position_keeps_them(admin_browser, world):
    event = world["event"]

    response = add_form(
        admin_browser, event=str(event.pk), form="speaker", name="Pronouns", type="text",
        field_identifier="pronouns", position="3", is_included="on", is_public="on",
    )  # fmt: skip

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    row = CustomForm.objects.get(event=event, form="speaker", field_identifier="pronouns")
    assert (row.position, row.is_complex, row.is_included, row.is_public) == (3, True, True, True)
    assert CustomForm.objects.filter(event=event, form="speaker", is_complex=False).exists()  # the built-ins too


#: Django's check of the unique constraint, before the service's.
DUPLICATE = "Form field with this Event, Form and Field identifier already exists."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"form": "attendee"}, "form", "Attendee forms come with ticket sales"),
        ({"field_identifier": "Not An Id"}, "field_identifier", "Use lowercase letters, digits and dashes"),
        ({"field_identifier": "t-shirt-size"}, "__all__", DUPLICATE),
        ({"field_identifier": "title"}, "__all__", DUPLICATE),
        ({"type": "select", "options": "[]"}, "options", "at least one choice"),
        ({"type": "select", "options": '["A", "A"]'}, "options", "Each choice appears once."),
        ({"type": "number", "min": "5", "max": "1"}, "max", "The maximum cannot be below the minimum."),
        ({"is_required": "on", "is_included": None}, "is_included", "A required field must be included."),
        ({"options": "{not json"}, "options", "Enter a valid JSON."),
    ],
)
def test_a_refused_field_is_a_form_error_and_nothing_is_written(admin_browser, world, changes, field, message):
    event = world["event"]
    before = list(CustomForm.objects.order_by("pk").values_list("pk", "name", "is_required", "is_included"))
    data = {"event": str(event.pk), "form": "session", "name": "Refused field", "type": "text", **changes}

    response = add_form(admin_browser, **data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in error for error in errors.get(field, [])), errors
    assert message in response.content.decode().replace("&#x27;", "'")
    assert list(CustomForm.objects.order_by("pk").values_list("pk", "name", "is_required", "is_included")) == before


def test_adding_a_built_in_field_is_refused_even_before_the_event_has_its_form_rows(admin_browser):
    """``create_field`` makes an event's starting rows on its first save and then changes the
    built-in row it is sent; an add in the admin adds, so it is refused and all of it rolled back."""
    event, _ = event_with_owner()
    assert not CustomForm.objects.filter(event=event).exists()

    response = add_form(
        admin_browser, event=str(event.pk), form="session", name="Talk title", field_identifier="title",
        is_included="on", is_required="on",
    )  # fmt: skip

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["field_identifier"] == [
        "The session form has its built-in field 'title' already; change that row."
    ]
    assert not CustomForm.objects.filter(event=event).exists()


def test_a_field_change_goes_through_the_service_and_its_identity_is_read_only(admin_browser, world):
    custom = world["custom"]
    url = reverse("admin:events_customform_change", args=[custom.pk])
    page = admin_browser.get(url)
    form = page.context["adminform"].form
    assert {"field_identifier", "is_complex", "is_fixed", "event", "form"}.isdisjoint(form.fields)
    assert 'name="field_identifier"' not in page.content.decode()

    response = admin_browser.post(url, change_form_data(
        page, name="  Shirt size  ", options='[" S ", "M", "L"]', field_identifier="hijacked", is_complex="",
        form="speaker", is_fixed="on",
    ))  # fmt: skip

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    custom.refresh_from_db()
    assert (custom.name, custom.options) == ("Shirt size", ["S", "M", "L"])
    assert (custom.field_identifier, custom.form, custom.is_complex, custom.is_fixed) == (
        "t-shirt-size", "session", True, False
    )


def test_a_built_in_field_keeps_its_type_and_a_fixed_one_stays_required(admin_browser, world):
    title = world["title"]
    url = reverse("admin:events_customform_change", args=[title.pk])
    page = admin_browser.get(url)
    assert "type" not in page.context["adminform"].form.fields

    refused = admin_browser.post(url, change_form_data(page, is_required=None, type="paragraph"))

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["is_required"] == ["Title is always included and required."]
    title.refresh_from_db()
    assert (title.is_required, title.type) == (True, "text")

    abstract = world["abstract"]
    url = reverse("admin:events_customform_change", args=[abstract.pk])
    saved = admin_browser.post(url, change_form_data(admin_browser.get(url), is_required="on", name="Summary"))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    abstract.refresh_from_db()
    assert (abstract.name, abstract.is_required, abstract.type) == ("Summary", True, "paragraph")


def test_a_custom_field_is_deleted_through_the_service(admin_browser, world):
    custom = world["custom"]

    response = admin_browser.post(reverse("admin:events_customform_delete", args=[custom.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not CustomForm.objects.filter(pk=custom.pk).exists()


def test_a_built_in_field_cannot_be_deleted_and_the_admin_says_why(admin_browser, world):
    title = world["title"]

    response = admin_browser.post(
        reverse("admin:events_customform_delete", args=[title.pk]), {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert "Not deleted: Built-in fields cannot be deleted; leave them out of the form instead." in [
        str(m) for m in response.context["messages"]
    ]
    assert CustomForm.objects.filter(pk=title.pk).exists()


def test_a_bulk_delete_with_a_built_in_field_deletes_nothing_and_says_why(admin_browser, world):
    rows = [world["custom"].pk, world["abstract"].pk]
    changelist = reverse("admin:events_customform_changelist")

    refused = admin_browser.post(
        changelist, {"action": "delete_selected", "_selected_action": rows, "post": "yes"}, follow=True
    )

    assert refused.status_code == 200
    assert any(
        str(m) == "Nothing was changed: Built-in fields cannot be deleted; leave them out of the form instead."
        for m in refused.context["messages"]
    )
    assert CustomForm.objects.filter(pk__in=rows).count() == len(rows)

    other, _ = custom_forms.create_field(world["owner"], world["event"], {"name": "Other"})
    customs = [world["custom"].pk, other.pk]
    deleted = admin_browser.post(changelist, {"action": "delete_selected", "_selected_action": customs, "post": "yes"})
    assert deleted.status_code == 302
    assert not CustomForm.objects.filter(pk__in=customs).exists()


# --- reviewers ---------------------------------------------------------------------------------------
def add_reviewer(client, **changes):
    url = reverse("admin:events_reviewer_add")
    return client.post(url, change_form_data(client.get(url), **changes))


def test_the_reviewer_list_shows_their_tracks_and_finds_them(admin_browser, world):
    url = reverse("admin:events_reviewer_changelist")
    page = admin_browser.get(url).content.decode()

    assert '<td class="field-track_names">Cloud</td>' in page
    assert "moderator@example.org" in page
    found = admin_browser.get(url, {"q": "moderator@"})
    filtered = admin_browser.get(url, {"event__id__exact": str(world["event"].pk)})
    assert [row.pk for row in found.context["cl"].result_list] == [world["reviewer"].pk]
    assert [row.pk for row in filtered.context["cl"].result_list] == [world["reviewer"].pk]


def test_a_reviewer_added_in_admin_is_marked_through_the_service(admin_browser, world):
    event = world["event"]
    organizer = UserFactory()
    give_role(organizer, event, Role.COORGANIZER)
    second = TrackFactory(event=event, name="Data")

    response = add_reviewer(
        admin_browser, event=str(event.pk), user=str(organizer.pk), tracks=[str(world["track"].pk), str(second.pk)]
    )

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    reviewer = Reviewer.objects.get(event=event, user=organizer)
    assert set(reviewer.tracks.all()) == {world["track"], second}

    everyone = UserFactory()
    give_role(everyone, event, Role.REGISTRAR)
    assert add_reviewer(admin_browser, event=str(event.pk), user=str(everyone.pk)).status_code == 302
    assert not Reviewer.objects.get(event=event, user=everyone).tracks.exists()  # every session


def test_refused_reviewers_are_form_errors_and_nothing_is_written(admin_browser, world):
    event = world["event"]
    outsider = UserFactory(email="outsider@example.org")
    member = UserFactory()
    give_role(member, event, Role.MODERATOR)
    foreign = TrackFactory(name="Elsewhere")
    before = Reviewer.objects.count()

    not_on_team = add_reviewer(admin_browser, event=str(event.pk), user=str(outsider.pk))
    foreign_track = add_reviewer(admin_browser, event=str(event.pk), user=str(member.pk), tracks=[str(foreign.pk)])
    twice = add_reviewer(admin_browser, event=str(event.pk), user=str(world["moderator"].pk))

    assert not_on_team.status_code == foreign_track.status_code == twice.status_code == 200
    assert not_on_team.context["adminform"].form.errors["user"] == [
        "outsider@example.org is not on this event's team; invite them first."
    ]
    assert foreign_track.context["adminform"].form.errors["tracks"] == ["This track belongs to another event."]
    assert twice.context["adminform"].form.errors
    assert Reviewer.objects.count() == before
    assert list(world["reviewer"].tracks.all()) == [world["track"]]


def test_a_reviewers_tracks_change_through_the_service_and_who_and_where_stay(admin_browser, world):
    reviewer = world["reviewer"]
    url = reverse("admin:events_reviewer_change", args=[reviewer.pk])
    page = admin_browser.get(url)
    assert {"event", "user"}.isdisjoint(page.context["adminform"].form.fields)
    second = TrackFactory(event=world["event"], name="Data")

    response = admin_browser.post(url, change_form_data(page, tracks=[str(second.pk)], user=str(world["owner"].pk)))

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    reviewer.refresh_from_db()
    assert list(reviewer.tracks.all()) == [second]
    assert reviewer.user == world["moderator"]

    refused = admin_browser.post(url, change_form_data(admin_browser.get(url), tracks=[str(TrackFactory().pk)]))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["tracks"] == ["This track belongs to another event."]
    assert list(reviewer.tracks.all()) == [second]


def test_a_reviewer_is_unmarked_through_the_service(admin_browser, world):
    reviewer = world["reviewer"]

    response = admin_browser.post(reverse("admin:events_reviewer_delete", args=[reviewer.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Reviewer.objects.filter(pk=reviewer.pk).exists()
    assert world["track"].pk  # the track stays
    assert type(world["track"]).objects.filter(pk=world["track"].pk).exists()


# --- review settings ---------------------------------------------------------------------------------
def add_settings(client, **changes):
    url = reverse("admin:events_reviewsettings_add")
    return client.post(url, change_form_data(client.get(url), **changes))


def test_review_settings_added_in_admin_go_through_the_service(admin_browser):
    event, _ = event_with_owner(timezone="Asia/Singapore")

    response = add_settings(
        admin_browser, event=str(event.pk), score_min="1", score_max="5", score_labels='{"1": " Weak ", "5": "Great"}',
        ends_at_0="2031-04-10", ends_at_1="09:00:00", is_anonymous="on",
    )  # fmt: skip

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    row = ReviewSettings.objects.get(event=event)
    assert (row.score_min, row.score_max, row.score_labels, row.is_anonymous) == (
        1, 5, {"1": "Weak", "5": "Great"}, True
    )
    # Read in the event's timezone (UTC+8).
    assert row.ends_at == datetime.datetime(2031, 4, 10, 1, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"score_min": "3", "score_max": "3"}, "score_max", "The highest score must be above the lowest."),
        ({"score_max": "20"}, "score_max", "A scale has at most 11 scores."),
        ({"score_labels": '{"9": "Too high"}'}, "score_labels", "Score 9 is outside the scale 0–3."),
        ({"score_labels": '{"one": "x"}'}, "score_labels", "'one' is not a score."),
        ({"score_labels": '["x"]'}, "score_labels", "Score labels are an object of score -> label."),
        ({"ends_at_0": "0001-01-01", "ends_at_1": "00:00"}, "ends_at", "Choose a date between the years 1 and 9999."),
    ],
)
def test_refused_review_settings_are_form_errors_and_nothing_is_written(admin_browser, changes, field, message):
    event, _ = event_with_owner(timezone="Asia/Singapore")

    response = add_settings(admin_browser, event=str(event.pk), **changes)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert not ReviewSettings.objects.filter(event=event).exists()


def test_review_settings_change_through_the_service_and_stay_with_their_event(admin_browser, world):
    settings = world["settings"]
    url = reverse("admin:events_reviewsettings_change", args=[settings.pk])
    page = admin_browser.get(url)
    assert "event" not in page.context["adminform"].form.fields

    refused = admin_browser.post(url, change_form_data(page, score_min="-20"))
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["score_max"] == ["A scale has at most 11 scores."]

    saved = admin_browser.post(url, change_form_data(page, score_max="2"))
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    settings.refresh_from_db()
    assert (settings.score_min, settings.score_max, settings.event) == (0, 2, world["event"])
    assert settings.score_labels == {"0": "No", "1": "Maybe", "2": "Yes"}  # labels off the scale go


def test_review_settings_are_never_deleted_in_admin(admin_browser, world):
    settings = world["settings"]
    url = reverse("admin:events_reviewsettings_delete", args=[settings.pk])

    assert admin_browser.get(url).status_code == 403
    assert admin_browser.post(url, {"post": "yes"}).status_code == 403
    bulk = admin_browser.post(
        reverse("admin:events_reviewsettings_changelist"),
        {"action": "delete_selected", "_selected_action": [settings.pk], "post": "yes"},
    )
    assert bulk.status_code == 200  # no such action: the list again
    assert ReviewSettings.objects.filter(pk=settings.pk).exists()


# --- hostile posts -----------------------------------------------------------------------------------
@pytest.mark.parametrize("event", ["²", "-1", "1.0", "9" * 40, "", "x"])
@pytest.mark.parametrize("model", ["customform", "reviewer", "reviewsettings"])
def test_an_odd_event_on_an_add_form_is_a_form_error_not_a_500(admin_browser, world, model, event):
    before = (CustomForm.objects.count(), Reviewer.objects.count(), ReviewSettings.objects.count())
    url = reverse(f"admin:events_{model}_add")
    data = change_form_data(admin_browser.get(url), event=event, name="Odd", user=str(world["moderator"].pk))

    response = admin_browser.post(url, data)

    assert response.status_code == 200
    assert "event" in response.context["adminform"].form.errors
    assert (CustomForm.objects.count(), Reviewer.objects.count(), ReviewSettings.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"position": "-1"}, "position"),
        ({"position": "9" * 30}, "position"),
        ({"min": "1e400"}, "min"),
        ({"type": "select", "options": "[" + ", ".join(f'"{n}"' for n in range(101)) + "]"}, "options"),
        ({"type": "select", "options": '[["nested"]]'}, "options"),
        ({"type": "select", "options": '["' + "x" * 201 + '"]'}, "options"),
        ({"name": "x" * 256}, "name"),
        ({"description": "x" * 2001}, "description"),
        ({"type": "script"}, "type"),
        ({"form": "../../session"}, "form"),
    ],
)
def test_hostile_field_posts_are_form_errors_and_write_nothing(admin_browser, world, changes, field):
    before = CustomForm.objects.count()
    data = {"event": str(world["event"].pk), "form": "session", "name": "Hostile", "type": "text", **changes}

    response = add_form(admin_browser, **data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert CustomForm.objects.count() == before


def test_second_review_settings_for_an_event_are_refused(admin_browser, world):
    response = add_settings(admin_browser, event=str(world["event"].pk), score_max="2")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["event"] == ["Review settings with this Event already exists."]
    world["settings"].refresh_from_db()
    assert world["settings"].score_max == 4


@pytest.mark.parametrize(
    "labels", ['{"1": 5}', '{"1": "' + "x" * 61 + '"}', '{"1.5": "half"}', '"text"', "null", "{bad json"]
)
def test_hostile_score_labels_are_form_errors(admin_browser, world, labels):
    url = reverse("admin:events_reviewsettings_change", args=[world["settings"].pk])

    response = admin_browser.post(url, change_form_data(admin_browser.get(url), score_labels=labels))

    if labels == "null":  # JSON's null: no labels (scores show as numbers)
        assert response.status_code == 302
        world["settings"].refresh_from_db()
        assert world["settings"].score_labels == {}
        return
    assert response.status_code == 200
    assert "score_labels" in response.context["adminform"].form.errors
    world["settings"].refresh_from_db()
    assert world["settings"].score_labels == {"0": "No", "1": "Maybe", "2": "Yes", "3": "Must have"}
