"""The visitors of bench/load.py's locust run (not meant to be run by hand: load.py sets it up).

Each simulated user, after a pause of 1-2 s between actions, reads the public schedule page (and
its stylesheets, served by whitenoise), the event's program through the API (the sessions with
their speakers, track, room and type; the speakers), or logs in through ``POST /v1/auth/login``
as one of the many seeded accounts (one each in turn, the right password: the login throttle counts
failures only, so it never answers 429 here). Names group the requests per endpoint in the
statistics. The event and the accounts come from the environment load.py passes.
"""
import itertools
import os
import re

from locust import FastHttpUser, between, task

EVENT_ID = os.environ.get("BENCH_EVENT_ID", "")
IDENTIFIER = os.environ.get("BENCH_EVENT_IDENTIFIER", "")
ACCOUNTS = int(os.environ.get("BENCH_ACCOUNTS", "1"))
EMAIL = os.environ.get("BENCH_ACCOUNT_EMAIL", "load{}@bench.invalid")
PASSWORD = os.environ.get("BENCH_ACCOUNT_PASSWORD", "")
INCLUDES = "speakers,track,microlocation,session-type"
JSONAPI = {"Accept": "application/vnd.api+json"}
STYLESHEET = re.compile(rb'<link[^>]+rel="stylesheet"[^>]+href="(/static/[^"]+)"')

#: The accounts in turn, shared by every user of this (single, gevent) process.
_accounts = itertools.cycle(range(ACCOUNTS))


class Visitor(FastHttpUser):
    wait_time = between(1, 2)

    @task(4)
    def public_schedule(self):
        with self.client.get(f"/e/{IDENTIFIER}/schedule/", name="GET /e/<identifier>/schedule/",
                             catch_response=True) as response:  # fmt: skip
            if response.status_code != 200 or b"data-session" not in (response.content or b""):
                response.failure(f"status {response.status_code} or no session on the page")
                return
            stylesheets = STYLESHEET.findall(response.content)
        for href in stylesheets:
            self.client.get(href.decode(), name="GET /static/… (whitenoise)")

    @task(3)
    def program(self):
        with self.client.get(f"/v1/events/{EVENT_ID}/sessions?include={INCLUDES}&page[size]=0", headers=JSONAPI,
                             name=f"GET /v1/events/<id>/sessions?include={INCLUDES}",
                             catch_response=True) as response:  # fmt: skip
            if response.status_code != 200 or not response.json().get("data"):
                response.failure(f"status {response.status_code} or no sessions")

    @task(2)
    def speakers(self):
        with self.client.get(f"/v1/events/{EVENT_ID}/speakers?page[size]=0", headers=JSONAPI,
                             name="GET /v1/events/<id>/speakers", catch_response=True) as response:  # fmt: skip
            if response.status_code != 200 or not response.json().get("data"):
                response.failure(f"status {response.status_code} or no speakers")

    @task(1)
    def login(self):
        body = {"email": EMAIL.format(next(_accounts)), "password": PASSWORD}
        with self.client.post("/v1/auth/login", json=body, name="POST /v1/auth/login",
                              catch_response=True) as response:  # fmt: skip
            if response.status_code != 200 or "access_token" not in (response.json() or {}):
                response.failure(f"status {response.status_code}: {response.text[:200]}")
