"""The organizer page "Import / export" (``/events/<identifier>/export/``)."""
import pytest
from django.utils import timezone

from events.models import Role
from events.tests.factories import event_with_owner, give_role
from exports.models import ExportJob, JobStatus
from exports.services import jobs
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def page_url(event):
    return f"/events/{event.identifier}/export/"


def test_without_javascript_the_form_starts_an_export_shown_waiting(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    response = client.post(page_url(event), {"kind": "json", "image": "on", "audio": "on"})
    assert response.status_code == 302
    job = ExportJob.objects.get(event=event)
    assert job.user == owner
    assert job.options == {"image": True, "video": False, "document": False, "audio": True}
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert f'data-task-url="/v1/tasks/{job.task}"' in page
    assert "js/job-progress.js" in page


def test_a_reload_shows_the_progress_of_a_running_job(client):
    event, owner = event_with_owner()
    job = ExportJob.objects.create(user=owner, event=event, status=JobStatus.RUNNING)
    jobs.report_progress(job, "Exporting sessions (120/371)")
    client.force_login(owner)
    assert "Exporting sessions (120/371)" in client.get(page_url(event)).content.decode()


def test_history_shows_downloads_sizes_errors_and_feeds(client):
    event, owner = event_with_owner(schedule_published_on=timezone.now())
    done = ExportJob.objects.create(
        user=owner, event=event, status=JobStatus.SUCCESS, file_name="exports/1/a.zip", file_size=2048
    )
    ExportJob.objects.create(user=owner, event=event, status=JobStatus.FAILURE, error="The disk is full.")
    client.force_login(owner)
    page = client.get(page_url(event)).content.decode()
    assert f"/v1/events/{event.pk}/exports/{done.pk}/download" in page
    assert "2.0\xa0KB" in page
    assert "Failed: The disk is full." in page
    for extension in ("ics", "xcs", "xml", "json"):
        assert f"/v1/events/{event.identifier}.{extension}" in page


def test_someone_elses_running_job_is_not_polled(client):
    """Only a job's starter may read its task: the page does not point others' scripts at it."""
    event, owner = event_with_owner()
    colleague = UserFactory()
    give_role(colleague, event, Role.ORGANIZER)
    job = ExportJob.objects.create(user=colleague, event=event)
    client.force_login(owner)
    assert str(job.task) not in client.get(page_url(event)).content.decode()


def test_calendar_without_published_schedule_is_a_form_error(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    response = client.post(page_url(event), {"kind": "ical"})
    assert response.status_code == 200
    assert "schedule is not published" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_unknown_kind_is_a_form_error(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    response = client.post(page_url(event), {"kind": "exe"})
    assert response.status_code == 200
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        (Role.TRACK_ORGANIZER, "published", 403),
        (Role.MODERATOR, "published", 403),
        (Role.REGISTRAR, "published", 403),
        (None, "published", 403),
        (None, "draft", 404),  # a draft is hidden from outsiders
    ],
)
def test_page_refused_below_coorganizer(client, role, state, status):
    event, _owner = event_with_owner(state=state)
    user = UserFactory()
    if role:
        give_role(user, event, role)
    client.force_login(user)
    assert client.get(page_url(event)).status_code == status
    assert client.post(page_url(event), {"kind": "json"}).status_code == status
    assert not ExportJob.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    event, _owner = event_with_owner()
    response = client.get(page_url(event))
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_nav_links_the_page_for_coorganizers(client):
    event, owner = event_with_owner()
    client.force_login(owner)
    dashboard = client.get(f"/events/{event.identifier}/").content.decode()
    assert page_url(event) in dashboard


#: Queries of the page: session, user, event, roles (team check, nav), history count and page.
PAGE_QUERIES = 8


@pytest.mark.parametrize("rows", [1, 25])
def test_page_query_count_is_pinned(client, django_assert_num_queries, rows):
    event, owner = event_with_owner()
    others = [UserFactory() for _ in range(3)]
    for number in range(rows):
        ExportJob.objects.create(user=others[number % 3], event=event, status=JobStatus.RUNNING)
    client.force_login(owner)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(page_url(event))
    assert response.status_code == 200
    assert response.content.decode().count("data-export-job=") == min(rows, 20)


def test_the_page_leads_to_the_import_page(client):
    """A page called "Import / export" says where importing happens (a new event, not this one)."""
    event, owner = event_with_owner()
    client.force_login(owner)
    page = client.get(page_url(event)).content.decode()
    assert '<h2 id="import-heading">Import an event</h2>' in page
    assert 'href="/events/import/">Import an event</a>' in page
    assert f"it does not change {event.name}." in " ".join(page.split())


def test_history_names_the_media_as_the_form_does(client):
    """The zip's flag for slides is "document": the history says "Slides", as the checkbox did."""
    event, owner = event_with_owner()
    client.force_login(owner)
    client.post(page_url(event), {"kind": "json", "image": "on", "document": "on"})
    page = client.get(page_url(event)).content.decode()
    assert '<span class="tag">Images</span> <span class="tag">Slides</span>' in page
    assert '<span class="tag">document</span>' not in page
    assert '<span class="tag">image</span>' not in page
