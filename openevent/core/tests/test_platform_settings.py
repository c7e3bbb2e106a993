"""The platform settings: one row over the environment's defaults, secrets sealed at rest, one
write path (``update_platform_settings``) and the admin page that uses it."""
import logging

import pytest
from cryptography.fernet import Fernet
from django.core import checks
from django.db import connection
from django.urls import reverse

from openevent.core import crypto, site
from openevent.core.errors import Invalid, NotAllowed, NotAuthenticated
from openevent.core.models import PlatformSettings
from openevent.core.services import update_platform_settings
from openevent.core.tests.admin_helpers import change_form_data

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret smtp pässword"
KEY = "SG.live-sendgrid-key"


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_user("admin@example.org", "pw", is_admin=True, is_verified=True)


@pytest.fixture
def plain_user(django_user_model):
    return django_user_model.objects.create_user("plain@example.org", "pw", is_verified=True)


@pytest.fixture
def environment(settings):
    """The environment's mail settings, as the variables would give them."""
    settings.EMAIL_SERVICE = ""
    settings.DEFAULT_FROM_EMAIL = "Env Sender <env@example.org>"
    settings.EMAIL_HOST = "smtp.env.example"
    settings.EMAIL_PORT = 2525
    settings.EMAIL_HOST_USER = "env-user"
    settings.EMAIL_HOST_PASSWORD = "env-password"
    settings.EMAIL_USE_TLS = True
    settings.EMAIL_USE_SSL = False
    settings.ANYMAIL = {"SENDGRID_API_KEY": ""}
    settings.SITE_SETTINGS = {**settings.SITE_SETTINGS, "app_name": "Env Events", "frontend_url": ""}
    settings.SITE_URL = "https://site.example"
    return settings


def raw_column(name):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {name} FROM core_platformsettings WHERE id = 1")  # noqa: S608 -- our column names
        return cursor.fetchone()[0]


# --- crypto --------------------------------------------------------------------------------------
def test_a_sealed_text_unseals_and_is_never_the_same_token_twice():
    token = crypto.seal(PASSWORD)
    assert PASSWORD not in token
    assert crypto.unseal(token) == PASSWORD
    assert crypto.seal(PASSWORD) != token


def test_the_key_is_derived_from_secret_key_unless_one_is_set(settings):
    token = crypto.seal(PASSWORD)
    settings.SECRET_KEY = "another secret key of this site, long enough"
    with pytest.raises(crypto.Unsealable):
        crypto.unseal(token)
    own = Fernet.generate_key().decode()
    settings.SETTINGS_ENCRYPTION_KEY = own
    token = crypto.seal(PASSWORD)
    assert Fernet(own.encode()).decrypt(token.encode()).decode() == PASSWORD
    settings.SECRET_KEY = "SECRET_KEY no longer matters"
    assert crypto.unseal(token) == PASSWORD


def test_a_second_key_still_unseals_what_the_old_key_sealed(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SETTINGS_ENCRYPTION_KEY = old
    token = crypto.seal(PASSWORD)
    settings.SETTINGS_ENCRYPTION_KEY = f"{new}, {old}"
    assert crypto.unseal(token) == PASSWORD
    assert Fernet(new.encode()).decrypt(crypto.seal("x").encode()) == b"x"


def test_a_malformed_key_is_reported_by_the_system_check(settings):
    assert crypto.check_key() == []
    settings.SETTINGS_ENCRYPTION_KEY = "not-a-fernet-key"
    errors = crypto.check_key()
    assert [error.id for error in errors] == ["core.E001"]
    assert "core.E001" in {error.id for error in checks.run_checks(tags=[checks.Tags.security])}


def test_garbage_does_not_unseal():
    with pytest.raises(crypto.Unsealable):
        crypto.unseal("plain text, never sealed")


# --- reading: the environment's defaults, the row over them ------------------------------------------
def test_without_a_row_the_environment_applies(environment):
    assert not PlatformSettings.objects.exists()
    mail = site.mail_settings()
    assert mail == site.MailSettings(
        service="",
        from_email="env@example.org",
        from_name="Env Sender",
        smtp_host="smtp.env.example",
        smtp_port=2525,
        smtp_username="env-user",
        smtp_password="env-password",
        smtp_encryption="tls",
        sendgrid_key="",
    )
    assert mail.sender == "Env Sender <env@example.org>"
    assert site.public_settings()["app_name"] == "Env Events"
    assert site.links_origin() == "https://site.example"
    assert not PlatformSettings.objects.exists()  # reading creates nothing


def test_a_saved_change_is_seen_at_once_and_blanks_fall_back(environment, admin_user, django_assert_num_queries):
    update_platform_settings(
        {
            "email_service": "smtp",
            "email_from": "admin@events.example",
            "smtp_host": "mail.example",
            "smtp_port": 465,
            "smtp_encryption": "ssl",
            "smtp_password": PASSWORD,
            "app_name": "Admin Events",
            "frontend_url": "https://events.example/",
        },
        admin_user,
    )
    with django_assert_num_queries(1):
        mail = site.mail_settings()
    assert (mail.service, mail.smtp_host, mail.smtp_port, mail.smtp_encryption) == ("smtp", "mail.example", 465, "ssl")
    assert mail.smtp_password == PASSWORD
    assert mail.smtp_username == "env-user"  # blank: the environment's
    assert mail.sender == "Env Sender <admin@events.example>"
    assert site.public_settings()["app_name"] == "Admin Events"
    assert site.links_origin() == "https://events.example"

    update_platform_settings({"smtp_host": "", "smtp_port": None, "app_name": None}, admin_user)
    mail = site.mail_settings()
    assert (mail.smtp_host, mail.smtp_port) == ("smtp.env.example", 2525)
    assert site.public_settings()["app_name"] == "Env Events"


def test_secrets_are_sealed_at_rest(admin_user):
    update_platform_settings({"smtp_password": PASSWORD, "sendgrid_key": KEY}, admin_user)
    for column, secret in (("smtp_password_sealed", PASSWORD), ("sendgrid_key_sealed", KEY)):
        stored = raw_column(column)
        assert stored
        assert secret not in stored
        assert crypto.unseal(stored) == secret
    assert site.mail_settings().sendgrid_key == KEY


def test_an_empty_secret_removes_the_stored_one(environment, admin_user):
    update_platform_settings({"smtp_password": PASSWORD}, admin_user)
    update_platform_settings({"smtp_password": ""}, admin_user)
    assert raw_column("smtp_password_sealed") == ""
    assert site.mail_settings().smtp_password == "env-password"


def test_a_secret_no_key_opens_counts_as_unset_with_a_warning(environment, admin_user, caplog):
    update_platform_settings({"smtp_password": PASSWORD, "email_service": "smtp"}, admin_user)
    environment.SECRET_KEY = "the site's key changed since"
    with caplog.at_level(logging.WARNING, logger="openevent.core.site"):
        mail = site.mail_settings()
    assert mail.smtp_password == "env-password"
    assert mail.service == "smtp"
    assert "smtp_password cannot be unsealed" in caplog.text
    assert site.admin_settings()["smtp_password_set"] is True  # the environment's is in force
    environment.EMAIL_HOST_PASSWORD = ""
    assert site.admin_settings()["smtp_password_set"] is False


def test_admin_settings_show_no_secret(admin_user):
    update_platform_settings({"smtp_password": PASSWORD, "sendgrid_key": KEY}, admin_user)
    values = site.admin_settings()
    assert values["smtp_password_set"] is values["sendgrid_key_set"] is True
    assert PASSWORD not in repr(values)
    assert KEY not in repr(values)
    assert "smtp_password" not in values
    assert "sendgrid_key" not in values


# --- writing: who, and what is refused ---------------------------------------------------------------
def test_only_administrators_change_the_settings(plain_user):
    with pytest.raises(NotAuthenticated):
        update_platform_settings({"app_name": "Mine"}, None)
    with pytest.raises(NotAllowed):
        update_platform_settings({"app_name": "Mine"}, plain_user)
    assert not PlatformSettings.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"email_service": "mailgun"}, "email_service"),
        ({"smtp_encryption": "starttls"}, "smtp_encryption"),
        ({"smtp_port": 0}, "smtp_port"),
        ({"smtp_port": 65536}, "smtp_port"),
        ({"smtp_port": "25a"}, "smtp_port"),
        ({"smtp_port": True}, "smtp_port"),
        ({"email_from": "not an address"}, "email_from"),
        ({"frontend_url": "javascript:alert(1)"}, "frontend_url"),
        ({"support_url": "ftp://files.example"}, "support_url"),
        ({"cookie_policy_link": "events.example"}, "cookie_policy_link"),
        ({"email_from_name": "Evil\r\nBcc: all@example.org"}, "email_from_name"),
        ({"smtp_host": "mail example"}, "smtp_host"),
        ({"app_name": "x" * 101}, "app_name"),
        ({"app_name": 12}, "app_name"),
        ({"smtp_password": ["a"]}, "smtp_password"),
        ({"secret": "x"}, "secret"),
        ({"smtp_password_sealed": "forged"}, "smtp_password_sealed"),
    ],
)
def test_invalid_values_are_refused_on_their_field(admin_user, values, field):
    with pytest.raises(Invalid) as refusal:
        update_platform_settings(values, admin_user)
    assert refusal.value.field == field
    assert refusal.value.message
    assert PlatformSettings.stored() is None


def test_sendgrid_needs_a_key_from_somewhere(environment, admin_user):
    with pytest.raises(Invalid) as refusal:
        update_platform_settings({"email_service": "sendgrid"}, admin_user)
    assert refusal.value.field == "sendgrid_key"
    update_platform_settings({"email_service": "sendgrid", "sendgrid_key": KEY}, admin_user)
    with pytest.raises(Invalid):
        update_platform_settings({"sendgrid_key": ""}, admin_user)  # would leave it without one
    environment.ANYMAIL = {"SENDGRID_API_KEY": "SG.from-the-environment"}
    update_platform_settings({"sendgrid_key": ""}, admin_user)
    assert site.mail_settings().sendgrid_key == "SG.from-the-environment"


def test_smtp_needs_a_host_from_somewhere(environment, admin_user):
    environment.EMAIL_HOST = ""
    with pytest.raises(Invalid) as refusal:
        update_platform_settings({"email_service": "smtp"}, admin_user)
    assert refusal.value.field == "smtp_host"
    update_platform_settings({"email_service": "smtp", "smtp_host": "mail.example"}, admin_user)
    assert site.mail_settings().smtp_host == "mail.example"


def test_the_row_is_one(admin_user):
    update_platform_settings({"app_name": "One"}, admin_user)
    row = PlatformSettings(app_name="Two")
    row.save()
    assert list(PlatformSettings.objects.values_list("pk", "app_name")) == [(1, "Two")]
    assert PlatformSettings.load().pk == 1


# --- the admin page -----------------------------------------------------------------------------------
CHANGE_URL = "/admin/core/platformsettings/1/change/"


def test_the_admin_list_goes_to_the_one_change_form(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:core_platformsettings_changelist"))
    assert response.status_code == 302
    assert response["Location"] == CHANGE_URL
    assert client.get(reverse("admin:core_platformsettings_add")).status_code == 403
    assert client.get("/admin/core/platformsettings/1/delete/").status_code == 403


def test_the_admin_form_never_shows_a_secret_and_keeps_it_when_left_blank(client, admin_user, environment):
    update_platform_settings({"smtp_password": PASSWORD, "sendgrid_key": KEY}, admin_user)
    client.force_login(admin_user)
    page = client.get(CHANGE_URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert PASSWORD not in html
    assert KEY not in html
    assert raw_column("smtp_password_sealed") not in html
    assert 'type="password" name="smtp_password"' in html
    assert "One is stored" in html
    assert "smtp.env.example" in html  # what blank means

    data = change_form_data(page, app_name="From Admin", smtp_port="587")
    response = client.post(CHANGE_URL, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert site.public_settings()["app_name"] == "From Admin"
    mail = site.mail_settings()
    assert (mail.smtp_port, mail.smtp_password, mail.sendgrid_key) == (587, PASSWORD, KEY)

    data = change_form_data(client.get(CHANGE_URL), smtp_password="new password", clear_sendgrid_key="on")
    assert client.post(CHANGE_URL, data).status_code == 302
    mail = site.mail_settings()
    assert (mail.smtp_password, mail.sendgrid_key) == ("new password", "")
    assert raw_column("sendgrid_key_sealed") == ""


def test_a_refused_admin_save_is_a_form_error_and_nothing_is_stored(client, admin_user):
    client.force_login(admin_user)
    page = client.get(CHANGE_URL)
    response = client.post(CHANGE_URL, change_form_data(page, smtp_port="70000", app_name="Kept?"))
    assert response.status_code == 200
    assert "smtp_port" in response.context["adminform"].form.errors
    response = client.post(CHANGE_URL, change_form_data(page, email_service="sendgrid"))
    assert response.status_code == 200
    assert "sendgrid_key" in response.context["adminform"].form.errors
    assert site.public_settings()["app_name"] != "Kept?"
    assert PlatformSettings.load().email_service == ""


def test_others_are_kept_out_of_the_admin_page(client, plain_user):
    client.force_login(plain_user)
    for url in (reverse("admin:core_platformsettings_changelist"), CHANGE_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert not PlatformSettings.objects.exists()


def test_a_change_written_by_another_process_is_seen_at_once(admin_user):
    """Nothing is kept in the process: a row another process wrote is what the next read sees."""
    update_platform_settings({"smtp_host": "first.example"}, admin_user)
    assert site.mail_settings().smtp_host == "first.example"
    PlatformSettings.objects.filter(pk=1).update(smtp_host="second.example", app_name="Elsewhere")
    assert site.mail_settings().smtp_host == "second.example"
    assert site.public_settings()["app_name"] == "Elsewhere"
