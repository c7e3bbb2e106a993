import pytest

from sessions_app.tests.helpers import Program


@pytest.fixture
def program(db):
    return Program()
