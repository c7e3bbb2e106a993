"""Make sure the platform administrator exists, and print how to log in.

The password comes from ``ADMIN_PASSWORD`` when set (and is then applied on every run), otherwise
it is generated once and kept in ``var/admin_password`` (mode 600). A password changed later in
Django admin is left alone; the command then says that the stored one no longer works.
"""
import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from openevent.users.models import User

ADMIN_EMAIL = "admin@example.org"


class Command(BaseCommand):
    help = "Create the administrator admin@example.org once; print the admin URL and login."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=ADMIN_EMAIL)
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Base URL to print.")

    def handle(self, *args, email, url, **options):
        from_env = os.environ.get("ADMIN_PASSWORD", "")
        password = from_env or self._stored_password()
        with transaction.atomic():
            user, created = self._ensure(email, password, force_password=bool(from_env))
        works = user.check_password(password)

        base = url.rstrip("/")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"  Open Event on Django   {base}/"))
        self.stdout.write(f"  Django admin           {base}/admin/")
        self.stdout.write(f"  API docs               {base}/v1/docs/")
        self.stdout.write(f"  Admin login            {user.email}")
        if works:
            source = "ADMIN_PASSWORD" if from_env else self._password_file()
            self.stdout.write(f"  Admin password         {password}   (from {source})")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "  Admin password         changed since it was generated; use yours, or run "
                    "with ADMIN_PASSWORD=... to set it"
                )
            )
        if created:
            self.stdout.write(f"  (administrator {user.email} created)")
        self.stdout.write("")

    def _ensure(self, email, password, force_password):
        user = User.all_objects.select_for_update().filter(email=email.lower()).first()
        created = user is None
        if created:
            user = User.objects.create_superuser(email, password, first_name="Admin")
            return user, True
        changed = []
        for name, value in (
            ("is_admin", True),
            ("is_super_admin", True),
            ("is_verified", True),
            ("is_blocked", False),
            ("deleted_at", None),
        ):
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed.append(name)
        if force_password and not user.check_password(password):
            user.set_password(password)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
        return user, False

    def _password_file(self):
        return settings.VAR_DIR / "admin_password"

    def _stored_password(self):
        path = self._password_file()
        if not path.exists():
            path.write_text(secrets.token_urlsafe(12) + "\n")
            path.chmod(0o600)
        return path.read_text().strip()
