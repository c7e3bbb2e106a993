"""The query walk: every list endpoint, page and admin changelist runs as many queries with 50 rows
as with 1 (ARCHITECTURE.md: "Every list endpoint and page runs a constant number of queries
whatever its size").

The routes are not listed by hand: ``walk()`` reads them from the URL resolver, so a list added
later is measured as soon as it is routed, or fails ``test_every_route_is_walked_or_skipped_by_a_rule``
until it is described here. Each route is either

- walked: in ``LISTS`` (pages and API views: who calls it, which kwargs, which ``include``), or a
  changelist of a model registered in the Django admin (always, as an administrator);
- skipped by a rule of ``skip_reason`` (one object, no GET, a redirect, the admin's forms…), or
  by name in ``NOT_LISTS`` with the reason.

A walked route is called once in a world of 1 row and once in a world of 50 (``walk_world.seed``:
50 of every kind of row), after a warm-up request and with an empty cache; it must answer 200 in
both, its body must grow (the rows are really listed), and the numbers of queries must be equal.
The exact numbers of the main lists are pinned elsewhere (sessions_app/tests/test_*_query_counts.py,
exports/tests/test_export_queries.py); this module holds completeness and growth.

Both worlds are seeded once per group of routes (``GROUPS``) in a
transaction that is rolled back, so the walk costs two seedings per group rather than two per route.
"""
import re
from dataclasses import dataclass, field

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.views.generic import RedirectView
from rest_framework.views import APIView

from openevent.api import routing
from openevent.users.services import issue_tokens

from .walk_world import seed

#: The "50 rows" of "1 and 50 rows".
MANY = 50
#: The walked routes are measured in this many groups, each with one seeding of the two worlds
#: (per test process that runs a route of the group).
GROUPS = 2
JSONAPI = "application/vnd.api+json"


@dataclass(frozen=True)
class Walk:
    """How to call a list: as whom (a key of ``World.people`` or "anonymous"), the query string,
    the URL kwargs that differ from ``KWARGS``, and whether its body grows with the rows (no for
    lists of a fixed size, with the reason in ``why``)."""

    caller: str = "anonymous"
    query: str = ""
    kwargs: dict = field(default_factory=dict)
    grows: bool = True
    why: str = ""


#: URL kwargs -> the seeded object they name.
KWARGS = {
    "identifier": lambda w: w.event.identifier,
    "event_ref": lambda w: w.event.identifier,
    "event_pk": lambda w: w.event.pk,
    "track_pk": lambda w: w.track.pk,
    "session_type_pk": lambda w: w.session_type.pk,
    "microlocation_pk": lambda w: w.room.pk,
    "session_pk": lambda w: w.session.pk,
    "speaker_pk": lambda w: w.speaker.pk,
    "user_pk": lambda w: w.people["speaker"].pk,
    "day": lambda w: w.day.isoformat(),
}
ORGANIZER_USER = {"user_pk": lambda w: w.people["organizer"].pk}
EVENT_PK = {"pk": lambda w: w.event.pk}
OWNER_USER = {"user_pk": lambda w: w.people["owner"].pk}

ABSENT = "a feature we do not have: always empty"
SESSION_INCLUDES = "include=track,microlocation,speakers,session-type,event"
PART_INCLUDES = "include=event"

# --- the lists, by route key (``Route.key``) -------------------------------------------------------
LISTS = {
    # API: top-level lists
    "api:event-list": Walk("owner", "include=owner,organizers,moderators,speakers-call,event-copyright"),
    "api:event-upcoming": Walk("anonymous"),
    "api:role-list": Walk("anonymous", grows=False, why="the six roles of the seeding migration"),
    "api:role-invite-list": Walk("owner", "include=event,role"),
    "api:users-events-roles-list": Walk("admin", "include=event,user,role"),
    "api:track-list": Walk("anonymous", PART_INCLUDES),
    "api:session-type-list": Walk("anonymous", PART_INCLUDES),
    "api:microlocation-list": Walk("anonymous", PART_INCLUDES),
    "api:sponsor-list": Walk("anonymous", PART_INCLUDES),
    "api:social-link-list": Walk("anonymous", PART_INCLUDES),
    "api:speakers-call-list": Walk("owner", PART_INCLUDES),
    "api:custom-form-list": Walk("organizer", PART_INCLUDES),
    "api:event-copyright-list": Walk("owner", PART_INCLUDES),
    "api:event-copyright[alias]": Walk("owner", PART_INCLUDES),
    "api:schedule-block-list": Walk("organizer", "include=event,microlocation"),
    "api:review-list": Walk("organizer", "include=session,reviewer"),
    "api:session-list": Walk("anonymous", SESSION_INCLUDES),
    "api:speaker-list": Walk("anonymous", "include=sessions,user,event"),
    "api:user-list": Walk("admin"),
    "api:notification-list": Walk("admin", "include=event,user"),
    "api:message-setting-list": Walk("admin", grows=False, why="one row per action, seeded by a migration"),
    "api:email-notification-list": Walk("admin", "include=event,user"),
    "api:mail-list": Walk("admin"),
    "api:import-job-list": Walk("organizer"),
    "api:absent-list[groups]": Walk("anonymous", grows=False, why=ABSENT),
    "api:event-absent-related[tickets]": Walk("anonymous", "", EVENT_PK, grows=False, why=ABSENT),
    "api:event-absent-related[exhibitors]": Walk("anonymous", "", EVENT_PK, grows=False, why=ABSENT),
    # API: the nested lists of a parent
    "api:events/{event_pk}/role-invites": Walk("owner", "include=event,role"),
    "api:events/{event_pk}/users-events-roles": Walk("organizer", "include=event,user,role"),
    "api:events/{event_pk}/tracks": Walk("anonymous", PART_INCLUDES),
    "api:events/{event_pk}/session-types": Walk("anonymous", PART_INCLUDES),
    "api:events/{event_pk}/microlocations": Walk("anonymous", PART_INCLUDES),
    "api:events/{event_pk}/sponsors": Walk("anonymous", PART_INCLUDES),
    "api:events/{event_pk}/social-links": Walk("anonymous", PART_INCLUDES),
    "api:events/{event_pk}/custom-forms": Walk("organizer", PART_INCLUDES),
    "api:events/{event_pk}/sessions": Walk("organizer", SESSION_INCLUDES),
    "api:events/{event_pk}/speakers": Walk("organizer", "include=sessions,user"),
    "api:events/{event_pk}/organizers": Walk("organizer"),
    "api:events/{event_pk}/coorganizers": Walk("organizer"),
    "api:events/{event_pk}/track-organizers": Walk("organizer"),
    "api:events/{event_pk}/moderators": Walk("organizer"),
    "api:events/{event_pk}/registrars": Walk("organizer"),
    "api:tracks/{track_pk}/sessions": Walk("organizer", "include=speakers,track"),
    "api:session-types/{session_type_pk}/sessions": Walk("organizer", "include=speakers,session-type"),
    "api:microlocations/{microlocation_pk}/sessions": Walk("organizer", "include=speakers,microlocation"),
    "api:users/{user_pk}/sessions": Walk("speaker", "include=speakers,track"),
    "api:users/{user_pk}/speakers": Walk("speaker", "include=sessions,event"),
    "api:users/{user_pk}/events": Walk("owner", "include=owner", OWNER_USER),
    "api:users/{user_pk}/owner-events": Walk("owner", "include=owner", OWNER_USER),
    "api:users/{user_pk}/organizer-events": Walk("organizer", "", ORGANIZER_USER, grows=False,
                                             why="the organizer organizes one live event"),
    "api:users/{user_pk}/coorganizer-events": Walk("admin", grows=False, why="the speaker organizes nothing"),
    "api:users/{user_pk}/track-organizer-events": Walk("admin", grows=False, why="the speaker organizes nothing"),
    "api:users/{user_pk}/moderator-events": Walk("admin", grows=False, why="the speaker organizes nothing"),
    "api:users/{user_pk}/registrar-events": Walk("admin", grows=False, why="the speaker organizes nothing"),
    "api:users/{user_pk}/notifications": Walk("organizer", "include=event", ORGANIZER_USER),
    "api:users/{user_pk}/email-notifications": Walk("organizer", "include=event", ORGANIZER_USER),
    "api:sessions/{session_pk}/speakers": Walk("anonymous", "include=user,sessions"),
    "api:speakers/{speaker_pk}/sessions": Walk("anonymous", "include=track,microlocation,session-type"),
    "api:session-reviews": Walk("organizer", "include=reviewer", {"session_pk": lambda w: w.pending.pk}),
    "api:event-schedule-blocks": Walk("organizer", "include=microlocation"),
    # API: figures over the rows (their body holds numbers, not rows)
    "api:event-general-statistics": Walk("organizer", grows=False, why="counts"),
    "api:admin-statistics-events": Walk("admin", grows=False, why="counts"),
    "api:admin-statistics-users": Walk("admin", grows=False, why="counts"),
    "api:admin-statistics-sessions": Walk("admin", grows=False, why="counts"),
    "api:admin-statistics-mails": Walk("admin", grows=False, why="counts"),
    "api:event-session-dates": Walk("organizer", grows=False, why="the distinct days: two"),
    "api:event-session-languages": Walk("organizer", grows=False, why="the distinct languages: one"),
    "api:session-conflicts": Walk("organizer", grows=False, why="the panel overlaps nothing"),
    # API: the schedule as files (a list of the event's sessions each)
    "api:event-schedule-feed[ics]": Walk("anonymous"),
    "api:event-schedule-feed[xcs]": Walk("anonymous"),
    "api:event-schedule-feed[xml]": Walk("anonymous"),
    "api:event-schedule-feed[json]": Walk("anonymous"),
    # Pages: the public site
    "home": Walk("anonymous"),
    "public-event": Walk("anonymous"),
    "public-schedule": Walk("anonymous"),
    "public-schedule-grid-css": Walk("anonymous"),
    "public-speakers": Walk("anonymous"),
    "public-speaker": Walk("anonymous", kwargs={"pk": lambda w: w.speaker.pk}),
    "public-session": Walk("anonymous", kwargs={"pk": lambda w: w.session.pk}),
    "public-session-ics": Walk("anonymous", kwargs={"pk": lambda w: w.session.pk}),
    "public-tracks": Walk("anonymous"),
    "public-rooms": Walk("anonymous"),
    "cfp": Walk("anonymous", grows=False, why="the call and its form; the form's questions grow, shown to speakers"),
    # Pages: the organizer's
    "my-events": Walk("owner"),
    "event-trash-list": Walk("organizer"),
    "my-invites": Walk("invitee"),
    "event-dashboard": Walk("owner"),
    "event-settings": Walk("owner", grows=False, why="a form; the team picker of the hand-over is its own page"),
    "event-hand-over": Walk("owner"),
    "event-team": Walk("owner"),
    "event-forms": Walk("organizer", kwargs={"form": lambda w: "session"}),
    "part-list[tracks]": Walk("organizer"),
    "part-list[rooms]": Walk("organizer"),
    "part-list[session-types]": Walk("organizer"),
    "part-list[sponsors]": Walk("organizer"),
    "part-list[social-links]": Walk("organizer"),
    "part-list[speakers-call]": Walk("organizer", grows=False, why="one call per event"),
    "session-list": Walk("organizer"),
    "session-create": Walk("organizer"),
    "session-detail": Walk("organizer", kwargs={"pk": lambda w: w.session.pk}),
    "session-edit": Walk("organizer", kwargs={"pk": lambda w: w.session.pk}),
    "speaker-list": Walk("organizer"),
    "scheduler": Walk("organizer"),
    "scheduler-conflicts": Walk("organizer"),
    "scheduler-day-ics": Walk("organizer"),
    "scheduler-day-png": Walk("organizer"),
    "schedule-releases": Walk("organizer"),
    "review-page": Walk("moderator"),
    "review-settings": Walk("organizer"),
    "mail-templates": Walk("organizer", grows=False, why="one row per mail action"),
    "mail-speakers": Walk("organizer"),
    "sent-mail": Walk("organizer"),
    "event-export": Walk("organizer"),
    "event-import": Walk("organizer"),
    # Pages: the speaker's and everyone's own
    "my-proposals": Walk("speaker"),
    "notification-list": Walk("organizer"),
    "notification-preferences": Walk("speaker"),
}


#: Changelists whose rows do not grow with the world.
LISTS["admin:notifications_messagesettings_changelist"] = Walk(
    "admin", grows=False, why="one row per action, seeded by a migration"
)
LISTS["admin:events_role_changelist"] = Walk("admin", grows=False, why="the six roles of the seeding migration")

#: Routes that are no lists, by key, with the reason (the rules of ``skip_reason`` cover the rest).
NOT_LISTS = {
    "favicon.ico": "a redirect to a static file",
    "api:settings": "the platform's settings: one object",
    "api:schema": "the OpenAPI document: no rows",
    "api:api-docs": "a static documentation page",
    "api:api-redoc": "a static documentation page",
    "api:export-download": "one file",
    "api:task": "one task's state",
    "api:event-has-streams": "one boolean",
    "api:event-tickets-availability": "one object (no ticketing here)",
    "api:session-states": "the fixed state machine",
    "api:user-get-user-id": "one id",
    "api:user-check-email": "one boolean",
    "media": "one file",
    "login": "a form", "logout": "a form", "register": "a form",
    "verify-email-resend": "a form", "verify-email": "one token", "password-change": "a form",
    "profile": "a form", "password-reset": "a form", "password-reset-confirm": "a form",
    "event-import-job": "one job's progress",
    "event-create": "a form",
    "event-forms-home": "a redirect to the session form's builder",
    "stripe-callback": "Stripe's redirect back (one code)",
    "event-publish": "POST only", "event-trash": "POST only", "stripe-connect": "POST only",
    "stripe-disconnect": "POST only", "event-restore": "POST only", "team-leave": "POST only",
    "member-role": "POST only", "member-remove": "POST only", "invite-revoke": "POST only",
    "invite-resend": "POST only", "invite-answer": "POST only", "invite-link": "one invite",
    "part-create": "a form",
    "part-edit": "a form",
    "part-delete": "a confirmation",
    "session-state": "POST only",
    "api:stripe-authorization-list": "no list for anyone (Open Event reads it through its event)",
    "api:export-start": "starts an export job (a write)",
    "api:session-mails": "the platform's fixed wording of the state-change mails",
    "speaker-create": "a form",
    "speaker-edit": "a form",
    "cfp-submit": "a form",
    "cfp-submitted": "one proposal",
    "proposal-edit": "a form",
    "proposal-invite": "a form",
    "proposal-withdraw": "POST only",
    "proposal-confirm": "POST only",
    "proposal-decision": "a form",
    "notification-unread-count": "one number",
    "notification-read-all": "POST only",
    "notification-read": "POST only",
    "mail-template-edit": "a form",
    "mail-template-preview": "one mail",
    "mail-template-reset": "POST only",
    "mail-speakers-preview": "one mail",
    "admin:core_platformsettings_changelist": "the platform's one settings row (the changelist redirects to it)",
}


# --- the walk ---------------------------------------------------------------------------------------
GROUP = re.compile(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)|<(?:(\w+):)?(\w+)>")
ALTERNATIVES = re.compile(r"^[\w-]+(\|[\w-]+)+$|^[\w-]+$|^\(\?!\)$")


@dataclass(frozen=True)
class Route:
    """One URL pattern (with one alternative of its selecting group, where it has one)."""

    key: str
    name: str | None
    template: str  # "/v1/events/{event_pk}/sessions"
    callback: object
    selector: str | None = None

    @property
    def base(self):
        """The key without the alternative: ``part-create`` of ``part-create[tracks]``."""
        return self.key.partition("[")[0]

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def actions(self):
        return getattr(self.callback, "actions", None)

    @property
    def is_api(self):
        return self.template.startswith("/v1/")

    def url(self, w, spec):
        values = {name: make(w) for name, make in {**KWARGS, **spec.kwargs}.items()}
        query = spec.query
        if (self.actions and self.actions.get("get") == "list") or self.key in NESTED:
            query = "&".join(filter(None, [query, "page[size]=0"]))  # all rows on one page
        return self.template.format(**values) + (f"?{query}" if query else "")


def _template(pattern, converters):
    """The pattern as a URL template, and its groups' regexes (converters' for ``path()``)."""
    groups = {}

    def group(match):
        if match.group(1):
            groups[match.group(1)] = match.group(2)
            return f"{{{match.group(1)}}}"
        groups[match.group(4)] = converters[match.group(4)].regex if match.group(4) in converters else ""
        return f"{{{match.group(4)}}}"

    return GROUP.sub(group, pattern).replace("^", "").replace("$", "").replace("\\.", "."), groups


def _patterns(patterns, prefix="", converters=None, namespace=None):
    for entry in patterns:
        text = prefix + str(entry.pattern)
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from _patterns(entry.url_patterns, text, found, inner)
        elif isinstance(entry, URLPattern):
            yield text, found, ":".join(filter(None, [namespace, entry.name])) if entry.name else None, entry.callback


def walk():
    """Every route of the project's URL conf, as ``Route``; a group whose regex is a choice of
    words (``related_field``, ``part``, a feed's extension) gives one route per word."""
    routes = []
    for pattern, converters, name, callback in _patterns(get_resolver().url_patterns):
        template, groups = _template(pattern, converters)
        template = "/" + template
        base = name or template.lstrip("/").removeprefix("v1/")
        if template.startswith("/v1/"):
            base = f"api:{base}"
        choices = [(group, regex) for group, regex in groups.items() if ALTERNATIVES.match(regex) and group != "pk"]
        if base == "api:event-copyright":
            base = "api:event-copyright[alias]"
        if not choices:
            routes.append(Route(base, name, template, callback))
            continue
        (group, regex), *_ = choices
        for word in [] if regex == "(?!)" else regex.split("|"):
            filled = template.replace(f"{{{group}}}", word)
            routes.append(Route(f"{base}[{word}]", name, filled, callback, word))
    return routes


ROUTES = walk()
NESTED = {route.key for route in ROUTES if route.callback.__module__ == routing.__name__}
CHANGELISTS = {
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist": model for model in site._registry
}


def skip_reason(route):
    """Why ``route`` is no list to walk, or None. The rules, in order: named in ``NOT_LISTS``;
    the Django admin's pages other than changelists; redirects; then the API's (``api_skip_reason``)."""
    for key in (route.key, route.base):
        if key in NOT_LISTS:
            return NOT_LISTS[key]
    if route.name and route.name.startswith("admin:") and route.name not in CHANGELISTS:
        return "the Django admin's forms, history, index and helpers: no changelist"
    if route.name is None and route.template.startswith("/admin/"):
        return "the Django admin's redirects to a change page"
    view_class = route.view_class
    if view_class is not None and issubclass(view_class, RedirectView):
        return "a redirect"
    return api_skip_reason(route)


def api_skip_reason(route):
    """A viewset's routes other than lists: details, relationship linkage, to-one related
    resources, to-many ones that a nested list serves; API views without GET."""
    view_class = route.view_class
    actions = route.actions
    if actions is None:
        if view_class is not None and issubclass(view_class, APIView) and not hasattr(view_class, "get"):
            return "no GET"
        return None
    action = actions.get("get")
    if action is None:
        return "no GET"
    if action in ("retrieve", "relationships"):
        return "one resource, or the linkage of one resource's relationship"
    if action == "retrieve_related":
        _basename, nested_kwarg = view_class.related_resources[route.selector.replace("-", "_")]
        if nested_kwarg is None:
            return "a to-one related resource: one resource"
        if resolve(route.template.format(pk="1")).func is not route.callback:
            return "a to-many related resource: served by its nested list (walked)"
    return None


def classify(route):
    """("walk", Walk) or ("skip", reason) or ("unknown", None)."""
    if route.key in LISTS:
        return "walk", LISTS[route.key]
    if route.name in CHANGELISTS and route.name not in NOT_LISTS:
        return "walk", Walk("admin")
    reason = skip_reason(route)
    if reason:
        return "skip", reason
    return "unknown", None


WALKED = [route for route in ROUTES if classify(route)[0] == "walk"]
_GROUP = {route.key: f"query-walk-{i % GROUPS}" for i, route in enumerate(WALKED)}


def group_of(route):
    return _GROUP[route.key]


# --- measuring ------------------------------------------------------------------------------------
@dataclass
class Measure:
    status: int
    queries: int
    size: int
    sql: list


class Callers:
    """One client per caller of a world: logged in for the pages, with a JWT for /v1."""

    def __init__(self, w):
        self.w = w
        self.clients = {}

    def client(self, caller, api):
        key = (caller, api)
        if key not in self.clients:
            user = self.w.people.get(caller)
            if api:
                headers = {"HTTP_ACCEPT": JSONAPI}
                if user is not None:
                    headers["HTTP_AUTHORIZATION"] = f"JWT {issue_tokens(user)['access_token']}"
                client = Client(**headers)
            else:
                client = Client()
                if user is not None:
                    client.force_login(user)
            self.clients[key] = client
        return self.clients[key]


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def shape(sql):
    """A query with its values left out: the same query for another row has the same shape."""
    values = re.sub(r"'[^']*'", "''", re.sub(r"\b\d+\b", "0", sql))
    return re.sub(r"IN \((?:0|'')(?:, (?:0|''))*\)", "IN (…)", values)


def grown(one, many):
    """The queries of ``many`` that ``one`` has fewer of (by shape), shortened."""
    left = [shape(sql) for sql in one]
    extra = []
    for sql in many:
        if shape(sql) in left:
            left.remove(shape(sql))
        else:
            extra.append(sql if len(sql) < 400 else f"{sql[:200]} … {sql[-200:]}")
    return extra[:5]


def measure(client, url):
    if not getattr(client, "warm", False):
        client.get(url)  # a client's first request stamps its user's last access and the like
        client.warm = True
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Measure(response.status_code, len(captured), len(body(response)), [q["sql"] for q in captured])


class Walker:
    """The measures of the walked routes, made a group at a time: a world of 1 row, then a world
    of ``MANY``, each seeded in a transaction rolled back after the group is measured."""

    def __init__(self):
        self.measures = {}

    def of(self, route):
        if route.key not in self.measures:
            self._measure([r for r in WALKED if group_of(r) == group_of(route)])
        return self.measures[route.key]

    def _measure(self, routes):
        settings = {
            "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "walk"}},
            "API_DOCUMENT_CACHE": False,
            "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        }
        with override_settings(**settings):
            for n in (1, MANY):
                with transaction.atomic():
                    w = seed(n)
                    callers = Callers(w)
                    for route in routes:
                        spec = LISTS.get(route.key) or Walk("admin")
                        client = callers.client(spec.caller, route.is_api)
                        self.measures.setdefault(route.key, {})[n] = measure(client, route.url(w, spec))
                    transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walker():
    return Walker()


def test_every_route_is_walked_or_skipped_by_a_rule():
    unknown = [route.key for route in ROUTES if classify(route)[0] == "unknown"]
    assert not unknown, "\n".join(
        f"route {key} is not covered: add it to the guard's table (LISTS) or mark it as not a list "
        "with a reason (NOT_LISTS)"
        for key in unknown
    )


def test_the_tables_name_routes_that_exist():
    keys = {route.key for route in ROUTES} | {route.base for route in ROUTES}
    assert not (set(LISTS) | set(NOT_LISTS)) - keys, "no such route"
    assert not set(LISTS) & set(NOT_LISTS)


@pytest.mark.django_db
@pytest.mark.parametrize("route", WALKED, ids=[route.key for route in WALKED])
def test_a_list_runs_as_many_queries_for_50_rows_as_for_1(walker, route):
    one, many = walker.of(route)[1], walker.of(route)[MANY]
    assert (one.status, many.status) == (200, 200), (one.status, many.status)
    spec = LISTS.get(route.key) or Walk("admin")
    if spec.grows:
        assert many.size > one.size, "the 50 rows are not listed"
    assert many.queries == one.queries, "queries grow with the rows; the 50 rows' extra ones:\n" + "\n".join(
        grown(one.sql, many.sql)
    )
