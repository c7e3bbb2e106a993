"""Sending domain signals after the surrounding transaction commits, so a receiver never sees
data that is later rolled back."""
from django.db import transaction


def send_after_commit(signal, sender, **kwargs):
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
