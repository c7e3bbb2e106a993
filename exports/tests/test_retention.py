"""The retention sweep of the jobs' files (``exports.services.retention``, ``manage.py sweep_jobs``,
the beat job ``exports.tasks.task_sweep_jobs``): expired exports, imports no worker took, leftover
uploaded files and orphans are deleted; young files and the files of live jobs stay."""
import datetime as dt
import io
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from events.tests.factories import event_with_owner
from exports import tasks
from exports.models import ExportJob, ImportJob, JobStatus
from exports.services import jobs, retention
from openevent.users.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

DAY = dt.timedelta(days=1)


def store(name, age=dt.timedelta(0)):
    """Save a file in the job storage, dated ``age`` ago; its stored name."""
    storage = jobs.job_storage()
    saved = storage.save(name, ContentFile(b"PK\x03\x04 job file"))
    stamp = (timezone.now() - age).timestamp()
    os.utime(storage.path(saved), (stamp, stamp))
    return saved


def exists(name):
    return jobs.job_storage().exists(name)


def export(event, owner, ended_ago, status=JobStatus.SUCCESS, with_file=True):
    name = store(f"exports/{event.pk}/file.zip", age=ended_ago) if with_file else ""
    return ExportJob.objects.create(
        user=owner, event=event, status=status, file_name=name, file_size=2048,
        finished_at=timezone.now() - ended_ago,
    )  # fmt: skip


def waiting_import(user, waited, status=JobStatus.WAITING, finished_ago=None):
    job = ImportJob.objects.create(
        user=user, status=status, source_name=store("imports/upload.zip", age=waited), original_name="mine.zip",
        finished_at=None if finished_ago is None else timezone.now() - finished_ago,
    )  # fmt: skip
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - waited)
    return job


# --- expired exports ------------------------------------------------------------------------------
def test_an_export_older_than_the_keep_days_loses_its_file_but_keeps_its_row(settings):
    settings.EXPORT_KEEP_DAYS = 30
    event, owner = event_with_owner()
    old = export(event, owner, ended_ago=31 * DAY)
    young = export(event, owner, ended_ago=29 * DAY)
    old_name = old.file_name

    counts = retention.sweep()

    assert counts.expired_exports == 1
    assert not exists(old_name)
    old.refresh_from_db()
    assert (old.status, old.file_name, old.file_size) == (JobStatus.SUCCESS, "", 2048)
    young.refresh_from_db()
    assert young.file_name
    assert exists(young.file_name)


def test_keep_days_comes_from_the_setting(settings):
    settings.EXPORT_KEEP_DAYS = 2
    event, owner = event_with_owner()
    job = export(event, owner, ended_ago=3 * DAY)
    assert retention.expire_exports() == 1
    job.refresh_from_db()
    assert job.file_name == ""


def test_unfinished_and_failed_exports_are_not_expired(settings):
    event, owner = event_with_owner()
    running = export(event, owner, ended_ago=40 * DAY, status=JobStatus.RUNNING)
    assert retention.expire_exports() == 0
    running.refresh_from_db()
    assert exists(running.file_name)


def download(client, job):
    return client.get(f"/v1/events/{job.event_id}/exports/{job.pk}/download")


def test_the_download_of_an_expired_export_says_when_it_expired(client, settings):
    settings.EXPORT_KEEP_DAYS = 30
    event, owner = event_with_owner()
    job = export(event, owner, ended_ago=31 * DAY)
    retention.sweep()
    client.force_login(owner)
    response = download(client, job)
    assert response.status_code == 404
    expired = timezone.localdate(job.finished_at + 30 * DAY)
    [error] = response.json()["errors"]
    assert error["detail"] == f"This export expired on {expired.day} {expired:%B %Y}; start it again."


def test_an_expired_export_is_still_refused_to_those_outside_the_team(client):
    event, owner = event_with_owner()
    job = export(event, owner, ended_ago=31 * DAY)
    retention.sweep()
    client.force_login(UserFactory())
    response = download(client, job)
    assert response.status_code == 404
    assert "expired" not in response.content.decode()


def test_a_kept_export_still_downloads(client):
    event, owner = event_with_owner()
    job = export(event, owner, ended_ago=DAY)
    retention.sweep()
    client.force_login(owner)
    response = download(client, job)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    response.close()


def test_the_history_shows_expired_instead_of_the_link(client, settings):
    settings.EXPORT_KEEP_DAYS = 30
    event, owner = event_with_owner()
    expired = export(event, owner, ended_ago=31 * DAY)
    kept = export(event, owner, ended_ago=DAY)
    retention.sweep()
    client.force_login(owner)
    page = client.get(f"/events/{event.identifier}/export/").content.decode()
    date = timezone.localdate(expired.finished_at + 30 * DAY)
    assert f'Expired on <time datetime="{date:%Y-%m-%d}">' in page
    assert f"/v1/events/{event.pk}/exports/{expired.pk}/download" not in page
    assert f"/v1/events/{event.pk}/exports/{kept.pk}/download" in page
    assert page.count("Expired on") == 1


# --- stale imports -------------------------------------------------------------------------------
def test_an_import_no_worker_took_ends_failed_its_user_is_told_and_its_file_deleted(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.IMPORT_STALE_HOURS = 24
    user = UserFactory()
    stale = waiting_import(user, waited=dt.timedelta(hours=25))
    young = waiting_import(user, waited=dt.timedelta(hours=23))
    stale_source = stale.source_name

    with django_capture_on_commit_callbacks(execute=True):
        counts = retention.sweep()

    assert counts.stale_imports == 1
    stale.refresh_from_db()
    assert stale.status == JobStatus.FAILURE
    assert stale.error == (
        "The import never started: no worker took it within 24 hours. Nothing was imported; upload the file again."
    )
    assert stale.finished_at is not None
    assert stale.source_name == ""
    assert not exists(stale_source)
    [mail] = mailoutbox
    assert mail.to == [user.email]
    assert "no worker took it within 24 hours" in mail.body
    young.refresh_from_db()
    assert young.status == JobStatus.WAITING
    assert exists(young.source_name)


def test_a_stale_import_taken_by_a_worker_later_does_not_run(settings, django_capture_on_commit_callbacks):
    settings.IMPORT_STALE_HOURS = 1
    stale = waiting_import(UserFactory(), waited=dt.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        retention.sweep()
    ran = []
    jobs.run_job(ImportJob, stale.pk, ran.append, lambda job, error: None)
    assert ran == []
    stale.refresh_from_db()
    assert stale.status == JobStatus.FAILURE


def test_a_running_import_is_not_ended_as_stale(settings):
    settings.IMPORT_STALE_HOURS = 1
    running = waiting_import(UserFactory(), waited=dt.timedelta(hours=2), status=JobStatus.RUNNING)
    assert retention.fail_stale_imports() == 0
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING
    assert exists(running.source_name)


def test_the_leftover_file_of_a_finished_import_is_deleted_after_a_day():
    user = UserFactory()
    old = waiting_import(user, waited=3 * DAY, status=JobStatus.FAILURE, finished_ago=2 * DAY)
    recent = waiting_import(user, waited=DAY, status=JobStatus.FAILURE, finished_ago=dt.timedelta(hours=1))
    old_source = old.source_name
    assert retention.sweep().leftover_sources == 1
    assert not exists(old_source)
    old.refresh_from_db()
    assert old.source_name == ""
    assert exists(recent.source_name)


# --- orphans -------------------------------------------------------------------------------------
def test_old_files_no_job_names_are_deleted_young_ones_and_live_jobs_files_kept(settings):
    settings.IMPORT_STALE_HOURS = 24
    event, owner = event_with_owner()
    orphan_export = store(f"exports/{event.pk}/rolled-back.zip", age=2 * DAY)
    orphan_import = store("imports/abandoned.zip", age=2 * DAY)
    young_orphan = store(f"exports/{event.pk}/being-saved.zip", age=dt.timedelta(hours=2))
    live_export = export(event, owner, ended_ago=10 * DAY)
    live_import = waiting_import(owner, waited=dt.timedelta(hours=20))
    elsewhere = store("uploads/someone/photo.png", age=10 * DAY)

    counts = retention.sweep()

    assert counts.orphans == 2
    assert not exists(orphan_export)
    assert not exists(orphan_import)
    assert exists(young_orphan)
    assert exists(live_export.file_name)
    assert exists(live_import.source_name)
    assert exists(elsewhere)


def test_an_empty_storage_is_swept_without_error():
    assert retention.sweep().as_dict() == {
        "expired_exports": 0, "stale_imports": 0, "leftover_sources": 0, "orphans": 0,
    }  # fmt: skip


def test_a_file_the_storage_fails_to_delete_keeps_its_row_for_the_next_run(monkeypatch):
    event, owner = event_with_owner()
    job = export(event, owner, ended_ago=40 * DAY)
    storage = jobs.job_storage()

    def refuse(name):
        raise OSError("Read-only file system")

    monkeypatch.setattr(storage, "delete", refuse)
    assert retention.expire_exports() == 0
    job.refresh_from_db()
    assert job.file_name
    monkeypatch.undo()
    assert retention.expire_exports() == 1


# --- runs ----------------------------------------------------------------------------------------
def stored_files(event):
    storage = jobs.job_storage()
    return sorted(storage.listdir(f"exports/{event.pk}")[1] + storage.listdir("imports")[1])


def test_a_second_run_does_nothing(settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.IMPORT_STALE_HOURS = 1
    event, owner = event_with_owner()
    export(event, owner, ended_ago=40 * DAY)
    waiting_import(owner, waited=dt.timedelta(hours=2))
    store("imports/abandoned.zip", age=2 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = retention.sweep()
    assert first.as_dict() == {"expired_exports": 1, "stale_imports": 1, "leftover_sources": 0, "orphans": 1}
    left = stored_files(event)
    with django_capture_on_commit_callbacks(execute=True):
        second = retention.sweep()
    assert second.as_dict() == {"expired_exports": 0, "stale_imports": 0, "leftover_sources": 0, "orphans": 0}
    assert stored_files(event) == left
    assert len(mailoutbox) == 1


def test_each_run_is_bounded_by_its_limit():
    event, owner = event_with_owner()
    for _ in range(3):
        export(event, owner, ended_ago=40 * DAY)
    for _ in range(3):
        store("imports/abandoned.zip", age=2 * DAY)
    first = retention.sweep(limit=2)
    assert (first.expired_exports, first.orphans) == (2, 2)
    second = retention.sweep(limit=2)
    assert (second.expired_exports, second.orphans) == (1, 1)
    assert ExportJob.objects.exclude(file_name="").count() == 0
    assert jobs.job_storage().listdir("imports")[1] == []


#: Expiring exports: the old ones (one query), their rows cleared (one update).
EXPIRE_QUERIES = 2
#: Orphans: per chunk of listed names, the export and import rows naming them.
ORPHAN_QUERIES = 2


@pytest.mark.parametrize("rows", [1, 20])
def test_query_counts_do_not_grow_with_the_files(django_assert_num_queries, rows):
    event, owner = event_with_owner()
    for _ in range(rows):
        export(event, owner, ended_ago=40 * DAY)
        store(f"exports/{event.pk}/orphan.zip", age=2 * DAY)
    with django_assert_num_queries(EXPIRE_QUERIES):
        assert retention.expire_exports() == rows
    with django_assert_num_queries(ORPHAN_QUERIES):
        assert retention.delete_orphans() == rows


def test_the_command_and_the_task_run_the_sweep(settings):
    event, owner = event_with_owner()
    export(event, owner, ended_ago=40 * DAY)
    store("imports/abandoned.zip", age=2 * DAY)
    out = io.StringIO()
    call_command("sweep_jobs", stdout=out)
    assert out.getvalue().strip() == "expired exports: 1, stale imports: 0, leftover sources: 0, orphans: 1"
    export(event, owner, ended_ago=40 * DAY)
    assert tasks.task_sweep_jobs.apply().get() == {
        "expired_exports": 1, "stale_imports": 0, "leftover_sources": 0, "orphans": 0,
    }  # fmt: skip


def test_the_sweep_is_on_the_beat_schedule(settings):
    [entry] = [entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == tasks.task_sweep_jobs.name]
    assert entry["schedule"].hour == {3}
