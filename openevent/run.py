"""Run the development web server, a Celery worker and Celery beat together: ``python -m openevent.run``.

``make run`` ends here. Both children run in their own process groups, so Ctrl-C reaches only this
supervisor, which then stops them all (SIGTERM: the worker finishes its current task; a second Ctrl-C
kills at once). When one child exits on its own the others are stopped too, and the exit status
is passed on. Once the web server answers, the admin URL and login are printed
(``manage.py ensure_admin``), so they are the last thing on screen rather than lost above the
worker's banner.

This is a development server: its children run with ``DEBUG=true`` (unless ``DEBUG`` is set in the
environment), which is off everywhere else.

Production runs the same kinds of process separately, as many web processes and workers as needed
and one beat: ``gunicorn openevent.wsgi``, ``celery -A openevent worker``, ``celery -A openevent
beat`` (see README.md).
"""
import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STOP_TIMEOUT = 15
BANNER = (
    "This is a development server (DEBUG on): never expose it to the internet; production runs\n"
    "gunicorn with DEBUG off (see README.md). Press Ctrl-C to stop the web server and the worker."
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--no-worker", action="store_true", help="Serve the web only.")
    parser.add_argument("--noreload", action="store_true", help="No auto-reload of the web server.")
    options = parser.parse_args(argv)

    if _answers(options.host, options.port):
        print(f"Something already answers on {options.host}:{options.port}; choose another PORT.", file=sys.stderr)
        return 1
    python = sys.executable
    children = _start_children(python, options, f"http://{options.host}:{options.port}")

    stopping = []

    def on_signal(signum, frame):
        if stopping:  # asked twice: do not wait any longer
            for child in children.values():
                _signal_group(child, signal.SIGKILL)
            return
        stopping.append(time.monotonic())
        print("\nStopping the web server, the worker and beat ...", flush=True)
        for child in children.values():
            _signal_group(child, signal.SIGTERM)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    announced = False
    status = 0
    while True:
        exited = {name: child.poll() for name, child in children.items() if child.poll() is not None}
        if exited or (stopping and time.monotonic() - stopping[0] > STOP_TIMEOUT):
            break
        if not announced and not stopping and _answers(options.host, options.port):
            announced = True
            url = f"http://{options.host}:{options.port}"
            subprocess.run(  # noqa: S603 -- fixed argument list (this interpreter, manage.py)
                [python, "manage.py", "ensure_admin", "--url", url], cwd=BASE_DIR, check=False, env=child_environment()
            )
            print(BANNER, flush=True)
        time.sleep(0.2)

    if not stopping:
        name, status = next(iter(exited.items()))
        print(f"\nThe {name} process exited with status {status}; stopping the rest.", flush=True)
        for child in children.values():
            _signal_group(child, signal.SIGTERM)
    _wait_for_all(children)
    return 0 if stopping else (status or 1)


def _start_children(python, options, url):
    """The web server and, unless ``--no-worker``, the Celery worker and beat, by name."""
    web = [python, "manage.py", "runserver", f"{options.host}:{options.port}"]
    if options.noreload:
        web.append("--noreload")
    children = {"web": _start(web, url)}
    if not options.no_worker:
        worker = [python, "-m", "celery", "-A", "openevent", "worker", "--pool=solo", "--loglevel=INFO"]
        children["worker"] = _start(worker, url)
        # The periodic jobs (CELERY_BEAT_SCHEDULE): one beat for this one machine.
        children["beat"] = _start([python, "-m", "celery", "-A", "openevent", "beat", "--loglevel=INFO"], url)
    return children


def _wait_for_all(children):
    """Wait up to STOP_TIMEOUT in all for the children to end; kill whichever still runs."""
    deadline = time.monotonic() + STOP_TIMEOUT
    for child in children.values():
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def child_environment(url=None):
    """The environment of the processes ``make run`` starts: DEBUG on unless set otherwise, and
    links in mails pointing at the served ``url`` unless ``SITE_URL`` says otherwise (the worker
    that sends them knows no request)."""
    environment = {**os.environ, "DEBUG": os.environ.get("DEBUG", "true")}
    if url and not os.environ.get("SITE_URL"):
        environment["SITE_URL"] = url
    return environment


def _start(command, url):
    # A session of its own: the terminal's Ctrl-C goes to the supervisor only, which then stops
    # the whole group (runserver's auto-reloader runs the server in a child process).
    # S603: ``command`` is one of this module's fixed argument lists, never user input.
    return subprocess.Popen(command, cwd=BASE_DIR, start_new_session=True, env=child_environment(url))  # noqa: S603


def _signal_group(child, signum):
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
