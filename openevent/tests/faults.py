"""What the fault tests (``test_faults_*.py``) share: free ports, waiting for a condition, the
processes they start (stopped by them, also on failure) and the environment those processes get."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent.parent
POLL_SECONDS = 0.05
STOP_SECONDS = 10


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what, seconds=30):
    """Poll ``condition`` until it answers something true (which is returned); AssertionError
    naming ``what`` after ``seconds`` (a bound for a broken run, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while True:
        answer = condition()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting until {what}")
        time.sleep(POLL_SECONDS)


def database_url():
    """The URL of the test's database (the one pytest-django made) for a process of our own."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def environment(tmp_path, **extra):
    """The environment of a process the test starts: this process's settings where the child must
    agree with it (secret key, broker), its own ``var/``, no DEBUG; then ``extra``."""
    var = tmp_path / "var"
    var.mkdir(exist_ok=True)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "openevent.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "VAR_DIR": str(var),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@contextmanager
def process(command, env, log):
    """Run ``command`` (in a process group of its own, output to the file ``log``) for the block;
    then SIGTERM, and SIGKILL if it is still there after ``STOP_SECONDS``."""
    with open(log, "ab") as output:
        child = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield child
    finally:
        stop(child)


def stop(child, signum=signal.SIGTERM):
    """Stop ``child`` and everything in its process group; wait for it."""
    if child.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(child.pid, signum)
    try:
        child.wait(STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def log_tail(log, size=3000):
    """The end of a process's log, for a failure's message."""
    try:
        return Path(log).read_text(errors="replace")[-size:]
    except OSError:
        return ""


PYTHON = sys.executable
