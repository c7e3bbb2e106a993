"""``make demo`` (run by ``make run``) sends mails before the server starts: their links point at
the address ``make run`` serves, not at the default port, unless ``SITE_URL`` says otherwise."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo_site_url(tmp_path):
    """Run ``make demo`` with a stand-in for the venv's python that prints the SITE_URL
    ``manage.py demo`` would see (``migrate`` skipped)."""
    make = shutil.which("make")
    if not make:
        pytest.skip("make is absent")
    python = tmp_path / "python"
    python.write_text(f"#!{sys.executable}\nimport os\nprint(os.environ['SITE_URL'])\n")
    python.chmod(0o755)

    def run(*arguments, **environment):
        env = {key: value for key, value in os.environ.items() if key != "SITE_URL"} | environment
        done = subprocess.run(
            [make, "-s", "-C", str(REPO), "demo", "-o", "migrate", f"PY={python}", *arguments],
            env=env, capture_output=True, text=True, check=True, timeout=60,
        )  # fmt: skip
        return done.stdout.strip()

    return run


def test_demo_mails_link_to_the_served_port(demo_site_url):
    assert demo_site_url("PORT=8811") == "http://127.0.0.1:8811"
    assert demo_site_url("HOST=0.0.0.0", "PORT=9000") == "http://0.0.0.0:9000"


def test_a_site_url_of_the_environment_wins(demo_site_url):
    assert demo_site_url("PORT=8811", SITE_URL="https://events.example.org") == "https://events.example.org"
