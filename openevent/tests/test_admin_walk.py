"""Every model registered in the admin: its list, its add page and the change page of a row open
for an administrator (an add page an admin may not use answers 403), never a 500."""
import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from openevent.users.tests.factories import UserFactory
from sessions_app import services
from sessions_app.tests.reviews_world import ReviewWorld

pytestmark = pytest.mark.django_db

REGISTERED = sorted(site._registry, key=lambda model: model._meta.label)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_browser(client):
    world = ReviewWorld()
    services.write_review(world.all_reviewer, world.own_session, 2, "Fine.")
    client.force_login(UserFactory(is_admin=True))
    return client


def test_the_admin_index_lists_the_forms_and_reviews_models(admin_browser):
    assert {"events.CustomForm", "events.Reviewer", "events.ReviewSettings", "sessions_app.Review"} <= {
        model._meta.label for model in REGISTERED
    }
    page = admin_browser.get(reverse("admin:index"))
    assert page.status_code == 200
    for name in ("Form fields", "Reviewers", "Review settings", "Reviews"):
        assert f">{name}</a>" in page.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=[model._meta.label for model in REGISTERED])
def test_every_admin_page_of_a_model_opens(admin_browser, model):
    model_admin = site._registry[model]
    changelist = admin_browser.get(admin_url(model, "changelist"))
    assert changelist.status_code in (200, 302)  # the platform settings go to their one row

    add = admin_browser.get(admin_url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)

    row = model_admin.get_queryset(changelist.wsgi_request).order_by("pk").first()
    if row is not None:
        assert admin_browser.get(admin_url(model, "change", row.pk)).status_code == 200
