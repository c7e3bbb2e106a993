"""The User: e-mail is the login name; rows are soft-deleted."""
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from openevent.core.softdelete import AllManager, SoftDeleteQuerySet
from openevent.core.text import LONG_TEXT_MAX_LENGTH


class UserManager(BaseUserManager.from_queryset(SoftDeleteQuerySet)):
    use_in_migrations = True

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)

    @staticmethod
    def normalize_email(email):
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalize_email(username))

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_admin=True, is_super_admin=True, is_verified=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    public_name = models.CharField(max_length=200, blank=True)
    avatar_url = models.URLField(max_length=500, blank=True)
    # Made from an uploaded avatar (``events.images``); read-only on the API, as in Open Event.
    thumbnail_image_url = models.URLField(max_length=500, blank=True, editable=False)
    small_image_url = models.URLField(max_length=500, blank=True, editable=False)
    icon_image_url = models.URLField(max_length=500, blank=True, editable=False)
    details = models.TextField(blank=True, max_length=LONG_TEXT_MAX_LENGTH)
    contact = models.CharField(max_length=200, blank=True)
    facebook_url = models.URLField(max_length=500, blank=True)
    twitter_url = models.URLField(max_length=500, blank=True)
    instagram_url = models.URLField(max_length=500, blank=True)
    is_admin = models.BooleanField(default=False, help_text="Platform administrator.")
    is_super_admin = models.BooleanField(default=False, help_text="May appoint administrators.")
    is_verified = models.BooleanField(default=False, help_text="E-mail address confirmed.")
    is_blocked = models.BooleanField(default=False, help_text="Blocked users cannot log in.")
    last_accessed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)

    objects = UserManager()
    all_objects = AllManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["id"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = UserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_active(self):
        """Django and simplejwt refuse users that are not active: blocked or deleted ones."""
        return not self.is_blocked and self.deleted_at is None

    @property
    def is_staff(self):
        """Admins run the platform from Django admin."""
        return self.is_admin or self.is_super_admin

    @property
    def is_superuser(self):
        return self.is_super_admin

    def has_perm(self, perm, obj=None):
        """Admins may do everything in Django admin; nobody else gets in."""
        return self.is_active and self.is_staff

    def has_module_perms(self, app_label):
        return self.is_active and self.is_staff

    @property
    def display_name(self):
        full = f"{self.first_name} {self.last_name}".strip()
        return self.public_name or full or self.email.split("@")[0]

    def soft_delete(self):
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at"])

    def restore(self):
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])
