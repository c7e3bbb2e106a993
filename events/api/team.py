"""Who holds which role where, as relationships of events and users.

- An event's ``organizers``, ``coorganizers``, ``track-organizers``, ``moderators`` and
  ``registrars``: the users holding exactly that role there, shown to those who see the event's
  team (``rules.can_see_team``: the users-events-roles rows); others get links only, and the
  related and relationship routes refuse them.
- A user's ``events`` (every event where they hold a role), ``owner-events``, ``organizer-events``
  … and the attributes ``is-user-owner`` … ``is-user-registrar`` (they hold that role at some live
  event): private to the user and admins, like their e-mail address. The relationships name the
  events the viewer may see (a moderator of a draft does not see it); the attributes count every
  live event.

The user resource lives below this app, so this app adds its fields and routes to it
(``extend_user_resource``, called from ``EventsConfig.ready`` before the URLs are built).
Both tables read one query per page of rows (``openevent.api.relations.RowTable``).
"""

from django.db.models import Exists, OuterRef, Q

from events import permissions as rules
from events import queries
from openevent.api.permissions import SelfOrAdmin
from openevent.api.relations import RowTable, rows_flag, rows_many
from openevent.users.api.serializers import UserSerializer
from openevent.users.api.views import UserViewSet
from openevent.users.models import User

from ..models import Event, Role, UsersEventsRoles

#: Event relationship -> the role its users hold.
EVENT_TEAM = {
    "organizers": Role.ORGANIZER,
    "coorganizers": Role.COORGANIZER,
    "track_organizers": Role.TRACK_ORGANIZER,
    "moderators": Role.MODERATOR,
    "registrars": Role.REGISTRAR,
}
#: User relationship -> the role held at its events (None: any role).
USER_EVENTS = {
    "events": None,
    "owner_events": Role.OWNER,
    "organizer_events": Role.ORGANIZER,
    "coorganizer_events": Role.COORGANIZER,
    "track_organizer_events": Role.TRACK_ORGANIZER,
    "moderator_events": Role.MODERATOR,
    "registrar_events": Role.REGISTRAR,
}
ANY = "any"


def held(role_name):
    """The key of the ``UserEventsTable`` flag "holds ``role_name`` at some live event"."""
    return f"held:{role_name}"


class EventTeamTable(RowTable):
    """Per event whose team the viewer sees: role name -> the live users holding it, by id."""

    def read(self, viewer, pks):
        if not rules.is_authenticated(viewer):
            return {}
        rows = UsersEventsRoles.objects.filter(event_id__in=pks, user__deleted_at__isnull=True)
        found = {}
        if rules.is_admin(viewer):
            found = {pk: {} for pk in pks}
        else:
            # An event whose team the viewer sees has a row of theirs, so every such event is
            # among the events of the rows read.
            rows = rows.filter(event_id__in=queries.team_events(viewer).values("id"))
        for row in rows.select_related("user", "role").order_by("user_id", "pk"):
            found.setdefault(row.event_id, {}).setdefault(row.role.name, []).append(row.user)
        return found


class UserEventsTable(RowTable):
    """Per user whom the viewer may see privately (themself; admins: everyone): role name (and
    ``ANY``) -> the events where the user holds it that the viewer sees, by id, and the flags
    ``held(role name)``."""

    def read(self, viewer, pks):
        if rules.is_admin(viewer):
            shown = list(pks)
        elif rules.is_authenticated(viewer) and viewer.pk in pks:
            shown = [viewer.pk]
        else:
            return {}
        seen = queries.visible_events(viewer, listing=False).filter(pk=OuterRef("event_id"))
        rows = (
            UsersEventsRoles.objects.filter(user_id__in=shown, event__deleted_at__isnull=True)
            .annotate(seen=Exists(seen))
            .order_by("event_id", "pk")
            .values_list("user_id", "event_id", "role__name", "seen")
        )
        found = {pk: {} for pk in shown}
        for user_id, event_id, role_name, visible in rows:
            entry = found[user_id]
            entry[held(role_name)] = True
            if visible:
                event = Event(pk=event_id)
                entry.setdefault(role_name, []).append(event)
                events = entry.setdefault(ANY, [])
                if not events or events[-1].pk != event_id:
                    events.append(event)
        return found


event_team = EventTeamTable()
user_events = UserEventsTable()


def team_relation(role_name):
    """An event's relationship to the users holding ``role_name`` there (``EventSerializer``)."""
    return rows_many("event", event_team, role_name, User)


def event_team_scope(role_name):
    def scope(event_pk):
        holders = UsersEventsRoles.objects.filter(event_id=event_pk, role__name=role_name).values("user_id")
        return Q(pk__in=holders)

    return scope


def user_events_scope(role_name):
    def scope(user_pk):
        rows = UsersEventsRoles.objects.filter(user_id=user_pk)
        if role_name is not None:
            rows = rows.filter(role__name=role_name)
        return Q(pk__in=rows.values("event_id"))

    return scope


def add_event_team_routes(viewset, policy):
    """``/v1/events/<id>/organizers`` … and their relationship routes, guarded by ``policy``."""
    for name, role in EVENT_TEAM.items():
        viewset.add_related(name, "user", "event_pk", scope=event_team_scope(role), policy=policy)


def extend_user_resource():
    """Give the user resource its events: the private attributes and relationships, and the
    routes ``/v1/users/<id>/events``, ``/owner-events`` … (self and admins only)."""
    if "events" in UserViewSet.related_resources:
        return
    fields = {f"is_user_{role}": rows_flag(user_events, held(role)) for role in Role.NAMES}
    for name, role in USER_EVENTS.items():
        fields[name] = rows_many("user", user_events, role or ANY, Event)
        UserViewSet.add_related(name, "event", "user_pk", scope=user_events_scope(role), policy=SelfOrAdmin)
    UserSerializer.add_private_fields(**fields)
