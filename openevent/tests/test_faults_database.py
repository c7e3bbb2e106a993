"""Fault: the database restarts under a running web process. The web process (gunicorn, as in
production) keeps its connections (``CONN_MAX_AGE``); after the restart each kept connection is
dead, and ``CONN_HEALTH_CHECKS`` makes the next request notice and reconnect instead of failing.
Users see no error once the database is back: every request answers 200.

The database is a private PostgreSQL cluster made for the test in a temporary directory (never
the machine's shared server), on a free port of 127.0.0.1, run as the ``postgres`` user when we
are root. The test skips only when PostgreSQL's programs are absent.
"""

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from . import faults

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"
START_SECONDS = 30
WORKERS = 2
#: Requests after the restart: more than the web workers, so each worker's kept connection is used.
REQUESTS_AFTER = 3 * WORKERS
PAGE = "/"
API_LIST = "/v1/events"


def pg_bin():
    found = sorted(glob.glob(PG_BIN_GLOB), key=lambda path: int(Path(path).parent.name))
    for candidate in reversed(found):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path and shutil.which("pg_ctl") else None


class Cluster:
    """A PostgreSQL cluster of our own: ``initdb``, ``start``, ``restart``, ``stop``."""

    def __init__(self, bin_dir, directory, port):
        self.bin_dir, self.directory, self.port = bin_dir, Path(directory), port
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root

    def run(self, *command):
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if self.as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{command[0]} failed: {result.stdout}{result.stderr}{faults.log_tail(self.log)}"

    def initdb(self):
        if self.as_postgres:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8")

    def pg_ctl(self, action, *options):
        settings = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off"
        self.run("pg_ctl", action, "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(START_SECONDS),
                 "-o", settings, *options)  # fmt: skip

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


@contextmanager
def private_cluster():
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.skip(f"PostgreSQL's programs (initdb, pg_ctl) are absent: not in {PG_BIN_GLOB} nor on PATH")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root without a 'postgres' user to run PostgreSQL as")
    directory = tempfile.mkdtemp(prefix="openevent-faults-pg-")
    cluster = Cluster(bin_dir, directory, faults.free_port())
    try:
        cluster.initdb()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(directory, ignore_errors=True)


def get(url):
    """(status, body) of a GET; a 5xx answer or a broken connection is what users see too."""
    try:
        with urllib.request.urlopen(url, timeout=20) as answer:  # noqa: S310 -- http to 127.0.0.1
            return answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        with answer:
            return answer.code, answer.read()


def answers(base):
    try:
        return get(f"{base}{PAGE}")[0] == 200
    except OSError:
        return False


def copy_schema(cluster, env):
    """Give the private cluster the project's tables: the schema of the test database (migrated by
    pytest-django) copied with pg_dump when the tests run on PostgreSQL (a second), else
    ``migrate`` (some ten seconds)."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        dump = subprocess.run(
            [str(cluster.bin_dir / "pg_dump"), "--schema-only", "--no-owner", "--no-privileges",
             "-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"], db["NAME"]],
            capture_output=True, text=True, check=False, env={**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""},
        )  # fmt: skip
        if dump.returncode == 0:
            restore = subprocess.run(
                [str(cluster.bin_dir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                 str(cluster.port), "-U", "postgres", "-d", "postgres"],
                input=dump.stdout, capture_output=True, text=True, check=False,
            )  # fmt: skip
            assert restore.returncode == 0, restore.stderr
            return
    migrate = subprocess.run(
        [faults.PYTHON, "manage.py", "migrate", "--noinput"], cwd=faults.BASE_DIR, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr


@pytest.fixture
def web_on_private_database(tmp_path, django_db_setup):
    """gunicorn (``WORKERS`` sync workers) on a private cluster with the project's tables; yields
    (base URL, cluster)."""
    with private_cluster() as cluster:
        env = faults.environment(tmp_path, DATABASE_URL=cluster.url, CONN_MAX_AGE="600",
                                 MEDIA_ROOT=str(tmp_path / "media"), API_DOCUMENT_CACHE="false")  # fmt: skip
        copy_schema(cluster, env)
        port = faults.free_port()
        log = tmp_path / "gunicorn.log"
        command = [faults.PYTHON, "-m", "gunicorn", "openevent.wsgi", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(WORKERS), "--log-level", "warning"]  # fmt: skip
        with faults.process(command, env, log):
            base = f"http://127.0.0.1:{port}"
            faults.wait_until(lambda: answers(base), f"gunicorn answers ({faults.log_tail(log)})")
            yield base, cluster


def test_the_web_process_recovers_from_a_database_restart_without_errors(web_on_private_database):
    base, cluster = web_on_private_database
    # Every worker opens and keeps its connection.
    for _ in range(REQUESTS_AFTER):
        assert get(f"{base}{PAGE}")[0] == 200
        status, body = get(f"{base}{API_LIST}")
        assert status == 200, body

    cluster.pg_ctl("restart", "-m", "fast")  # the kept connections are cut; -w: back when it returns

    seen = [(get(f"{base}{PAGE}")[0], *get(f"{base}{API_LIST}")) for _ in range(REQUESTS_AFTER)]
    assert [(page, api) for page, api, _body in seen] == [(200, 200)] * REQUESTS_AFTER, seen
    assert all(b'"data"' in body for _page, _api, body in seen)
