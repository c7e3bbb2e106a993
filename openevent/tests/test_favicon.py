"""/favicon.ico, which browsers ask for on pages that name no icon (the admin, the API docs)."""


def test_the_favicon_is_the_logo(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/logo.svg")
