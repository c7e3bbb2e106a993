"""Domain functions of the mail log. Mails are recorded where they are sent; this is the one
place a logged mail is removed."""
from django.db import transaction


@transaction.atomic
def delete_mail(mail):
    """Remove a mail from the log for good (an administrator's decision, e.g. on a request to
    forget an address; only administrators reach the admin that calls this)."""
    mail.delete()
