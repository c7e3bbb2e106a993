"""Static files are served the same by every middleware chain of a process
(openevent.core.static keeps the finders' files), and as the settings of the moment say."""
import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def served(url):
    response = Client().get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response.status_code, response.headers.get("Cache-Control"), body


def test_each_client_serves_the_same_files():
    first = served("/static/css/app.css")
    assert first[0] == 200
    assert first[2]
    assert served("/static/css/app.css") == first
    assert served("/static/admin/css/base.css")[0] == 200  # an app's static files (the admin's)
    assert served("/static/css/no-such-file.css")[0] == 404


def test_a_changed_setting_is_seen_by_the_next_client(settings):
    assert served("/static/css/app.css")[1] == "max-age=60, public"
    settings.WHITENOISE_MAX_AGE = 3600
    assert served("/static/css/app.css")[1] == "max-age=3600, public"
    settings.STATICFILES_DIRS = []
    assert served("/static/css/app.css")[0] == 404
    assert served("/static/admin/css/base.css")[0] == 200
