"""/v1/mails: the mail log, read by administrators only, in the blueprint's shape."""

import datetime
import importlib

import pytest
from django.apps import apps

from events.tests.factories import event_with_owner
from mailing.models import Mail
from openevent.api.tests.documents import assert_error
from openevent.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BLUEPRINT_ATTRIBUTES = {"recipient", "time", "action", "subject", "message"}


def logged(n=1, **kwargs):
    return [
        Mail.objects.create(
            recipient=f"r{i}@example.org", action="invite", subject=f"Invite {i}", message="Hi", **kwargs
        )
        for i in range(n)
    ]


def test_administrators_read_the_log_in_the_blueprints_shape(api):
    event, owner = event_with_owner()
    (mail,) = logged(user=owner, event=event)
    admin = UserFactory(is_admin=True)
    response = api.as_user(admin).get("/v1/mails")
    assert response.status_code == 200
    (row,) = response.json_body["data"]
    assert row["type"] == "mail"
    assert row["id"] == str(mail.pk)
    assert set(row["attributes"]) >= BLUEPRINT_ATTRIBUTES | {"status", "attempts", "last-error", "sent-at"}
    assert row["attributes"]["status"] == "queued"
    assert row["relationships"]["event"]["data"] == {"type": "event", "id": str(event.pk)}
    assert row["relationships"]["user"]["data"] == {"type": "user", "id": str(owner.pk)}
    detail = api.as_user(admin).get(f"/v1/mails/{mail.pk}")
    assert detail.status_code == 200
    assert detail.json_body["data"]["attributes"]["recipient"] == "r0@example.org"


@pytest.mark.parametrize("who", ["anonymous", "plain", "organizer"])
def test_nobody_else_reads_it(api, who):
    event, owner = event_with_owner()
    (mail,) = logged(event=event)
    user = {"anonymous": None, "plain": UserFactory(), "organizer": owner}[who]
    status = 401 if user is None else 403
    assert_error(api.as_user(user).get("/v1/mails"), status)
    assert_error(api.as_user(user).get(f"/v1/mails/{mail.pk}"), status)


def test_the_log_is_not_written_through_the_api(api):
    (mail,) = logged()
    admin = api.as_user(UserFactory(is_admin=True))
    body = {"data": {"type": "mail", "attributes": {"recipient": "x@example.org", "subject": "Forged"}}}
    assert_error(admin.post("/v1/mails", body), 403)
    assert_error(admin.patch(f"/v1/mails/{mail.pk}", {"data": {**body["data"], "id": str(mail.pk)}}), 403)
    assert_error(admin.delete(f"/v1/mails/{mail.pk}"), 403)
    assert list(Mail.objects.values_list("subject", flat=True)) == ["Invite 0"]


def test_filters_and_sorts(api):
    old, new = logged(2)
    Mail.objects.filter(pk=old.pk).update(time=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC), status="failed")
    admin = api.as_user(UserFactory(is_admin=True))
    failed = admin.get("/v1/mails", **{"filter[status]": "failed"}).json_body["data"]
    assert [row["id"] for row in failed] == [str(old.pk)]
    ordered = admin.get("/v1/mails", sort="time").json_body["data"]
    assert [row["id"] for row in ordered] == [str(old.pk), str(new.pk)]


@pytest.mark.parametrize("n", [1, 20])
def test_the_list_runs_a_constant_number_of_queries(api, django_assert_num_queries, n):
    event, owner = event_with_owner()
    logged(n, user=owner, event=event)
    admin = api.as_user(UserFactory(is_admin=True))
    # The same for 1 and 20 rows: users and events come with the rows (select_related).
    with django_assert_num_queries(4):
        assert len(admin.get("/v1/mails", **{"page[size]": "50"}).json_body["data"]) == n


def test_mails_logged_before_delivery_was_tracked_count_as_sent():
    migration = importlib.import_module("mailing.migrations.0002_mail_delivery")
    (mail,) = logged()
    migration.mark_logged_mails_sent(apps, None)
    mail.refresh_from_db()
    assert (mail.status, mail.sent_at, mail.attempts) == ("sent", mail.time, 1)
