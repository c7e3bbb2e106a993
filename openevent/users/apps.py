from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "openevent.users"
    label = "users"
    verbose_name = "Users"
