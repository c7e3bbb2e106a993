"""Domain signals, in two phases.

A ``DomainSignal`` is sent once per change by the service that makes it
(``send_after_commit``), and reaches two kinds of receivers:

- receivers of the signal itself run after the surrounding transaction commits, so they never see
  data that is later rolled back (cache versions, anything outside the database);
- receivers of its ``in_transaction`` twin run at once, inside the cause's transaction: what they
  write (a queued mail, a notification) commits or rolls back with the change that caused it, and
  nothing is lost between the commit and a receiver. Work outside the database they defer with
  ``transaction.on_commit`` themselves.
"""
from django.db import transaction
from django.dispatch import Signal


class DomainSignal(Signal):
    def __init__(self):
        super().__init__()
        self.in_transaction = Signal()


def send_after_commit(signal, sender, **kwargs):
    """Send ``signal``'s ``in_transaction`` twin now and ``signal`` itself after commit."""
    if isinstance(signal, DomainSignal):
        signal.in_transaction.send(sender=sender, **kwargs)
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
