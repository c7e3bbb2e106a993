"""Signals the exports app sends when an import or export job ends. Receivers take ``**kwargs``.

- ``export_finished``: user (who started the job), event (the exported Event), job (the ExportJob),
  download_url (where the finished file is fetched; None when the job failed), error (what went
  wrong, a sentence for the user; None when it worked)
- ``import_finished``: user (who started the job), event (the Event created; None when the job
  failed), error (as above; None when it worked)

The job's service sends each once per job, with ``openevent.core.signals.send_after_commit``
inside the transaction that records the job's end, so the mail receivers
(``mailing.receivers``) queue their mail in that transaction: ``event_exported`` /
``event_export_fail`` and ``event_imported`` / ``event_import_fail`` to ``user``; the
notification receivers (``notifications.receivers``) write the in-app notification of the same
action in it too. The sender is
the job's model class (or None until the files issue adds one).
"""
from openevent.core.signals import DomainSignal

export_finished = DomainSignal()
import_finished = DomainSignal()
