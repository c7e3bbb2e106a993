"""The admin of schedule blocks (written through ``services.schedule``) and releases (read only)."""

import pytest
from django.urls import reverse

from openevent.core.tests.admin_helpers import change_form_data
from openevent.users.tests.factories import UserFactory
from sessions_app.models import ScheduleBlock
from sessions_app.services import schedule
from sessions_app.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_admin=True))
    return client


def test_blocks_list_open_and_change_through_the_service(admin_client, program):
    block = schedule.create_block(
        program.people["admin"], program.event, {"title": "Lunch", "starts_at": program.at(3), "ends_at": program.at(4)}
    )
    assert admin_client.get(reverse("admin:sessions_app_scheduleblock_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:sessions_app_scheduleblock_add")).status_code == 200
    url = reverse("admin:sessions_app_scheduleblock_change", args=[block.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    # A block must end after it starts (the service's refusal, on the form); nothing changes.
    data = change_form_data(page)
    ends = {name: data[name.replace("ends_at", "starts_at")] for name in data if name.startswith("ends_at")}
    response = admin_client.post(url, {**data, **ends})
    assert response.status_code == 200
    assert "A block must end after it starts." in response.content.decode()
    block.refresh_from_db()
    assert block.title == "Lunch"
    response = admin_client.post(url, change_form_data(page, title="Long lunch"))
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.title == "Long lunch"
    delete = reverse("admin:sessions_app_scheduleblock_delete", args=[block.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not ScheduleBlock.objects.exists()


def test_releases_are_read_only_history(admin_client, program):
    SessionFactory(event=program.event, state="accepted", starts_at=program.at(1), ends_at=program.at(2))
    release = schedule.release_schedule(program.people["organizer"], program.event)
    changelist = admin_client.get(reverse("admin:sessions_app_schedulerelease_changelist"))
    assert changelist.status_code == 200
    assert "1 / 0 / 0" in changelist.content.decode()
    assert admin_client.get(reverse("admin:sessions_app_schedulerelease_change", args=[release.pk])).status_code == 200
    assert admin_client.get(reverse("admin:sessions_app_schedulerelease_add")).status_code == 403
    delete = reverse("admin:sessions_app_schedulerelease_delete", args=[release.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403

