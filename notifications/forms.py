"""The mail preferences page: one row of switches per event the user is involved in."""
from django import forms
from django.db import transaction

from events import permissions as rules

from . import queries, services
from .models import PREFERENCE_ACTIONS, PREFERENCES


class PreferencesForm(forms.Form):
    """A checkbox per event and per preference whose action users may control (an
    administrator's ``user_control_status``); unticked means no mail of that kind."""

    def __init__(self, *args, user, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.events = events
        controlled = queries.user_controlled_actions()
        self.names = [name for name, action in PREFERENCE_ACTIONS.items() if action in controlled]
        stored = queries.email_preferences(user, events)
        self.rows = []
        for event in events:
            row = stored.get(event.pk)
            fields = []
            for name in self.names:
                key = self.key(event, name)
                self.fields[key] = forms.BooleanField(
                    label=PREFERENCES[name], required=False, initial=getattr(row, name) if row else True
                )
                fields.append(key)
            self.rows.append((event, fields))

    @staticmethod
    def key(event, name):
        return f"event-{event.pk}-{name}"

    def event_rows(self):
        """(event, [bound fields]) for the template."""
        return [(event, [self[key] for key in keys]) for event, keys in self.rows]

    @transaction.atomic
    def save(self):
        rules.prime_roles(self.user, [event.pk for event in self.events])
        for event in self.events:
            values = {name: self.cleaned_data[self.key(event, name)] for name in self.names}
            services.update_email_preferences(self.user, event, values, actor=self.user)
