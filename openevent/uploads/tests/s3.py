"""A real S3 for tests: ``moto_server`` on 127.0.0.1 (started, awaited, stopped by us)."""

import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager

import boto3
import pytest

STARTUP_SECONDS = 20
POLL_SECONDS = 0.1
BUCKET = "openevent-test-media"
#: Media URLs are plain object URLs (``querystring_auth`` off), so the bucket is readable by all.
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
    ],
}
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(endpoint, process):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):  # noqa: S310 - http to 127.0.0.1
                return
        except urllib.error.HTTPError as answered:
            answered.close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(POLL_SECONDS)
    raise RuntimeError(f"moto_server did not answer at {endpoint} within {STARTUP_SECONDS} s")


@contextmanager
def moto_server():
    """Yield the endpoint URL of a fresh moto_server with the bucket ``BUCKET``."""
    executable = shutil.which("moto_server")
    if executable is None:
        raise RuntimeError("moto_server is not installed (pip install -r requirements-dev.txt)")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [executable, "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_until_up(endpoint, process)
        client = boto3.client("s3", endpoint_url=endpoint, **CREDENTIALS)
        client.create_bucket(Bucket=BUCKET)
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=STARTUP_SECONDS)


def s3_storages(endpoint, storages_setting):
    """``STORAGES`` with the default storage on the moto bucket, as ``STORAGE_BACKEND=s3`` makes it."""
    return {
        **storages_setting,
        "default": {
            "BACKEND": "openevent.uploads.storage.MediaS3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "region_name": CREDENTIALS["region_name"],
                "endpoint_url": endpoint,
                "addressing_style": "path",
                "file_overwrite": False,
                "querystring_auth": False,
            },
        },
    }


@pytest.fixture(scope="module")
def moto_endpoint():
    """A moto_server for the tests of a module."""
    with moto_server() as endpoint:
        yield endpoint
