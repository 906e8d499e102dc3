"""A real S3 API on this machine for the tests: moto's standalone server on a free port.

Shared by every test that needs object storage (tests/conftest.py turns it into the fixtures
`s3_server`, `s3_storage` and `media_storage`). A test that starts app processes of its own
passes them `server.env(buckets)` as environment variables, the same ones production uses.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

ACCESS_KEY = "feelmove-test"
SECRET_KEY = "feelmove-test-secret"
REGION = "eu-central-1"


def public_read_policy(bucket: str) -> str:
    """The bucket policy of the README: anyone may read objects, nobody may list or write."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/*",
                }
            ],
        }
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Buckets:
    public: str
    private: str


class S3Server:
    """moto_server as a subprocess: started, waited for, stopped."""

    def __init__(self, log_path=None):
        self.log_path = log_path
        self.process = None
        self.port = None
        self._client = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> "S3Server":
        for _attempt in range(3):
            self.port = free_port()
            log = open(self.log_path or os.devnull, "ab")  # noqa: SIM115 (lives with the process)
            self.process = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break  # the port was taken meanwhile: try another
                try:
                    with urllib.request.urlopen(f"{self.endpoint_url}/moto-api/", timeout=1):
                        return self
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    time.sleep(0.1)
            self.stop()
        raise RuntimeError("moto's S3 server did not start (is moto[server] installed?)")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def client(self):
        if getattr(self, "_client", None) is None:
            self._client = self._new_client()
        return self._client

    def _new_client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def create_buckets(self, prefix: str = "feelmove") -> Buckets:
        """Two fresh, empty buckets set up as the README says: public media readable by anyone
        (so the proxy can forward /media/ to it), private files by nobody without credentials."""
        suffix = uuid.uuid4().hex[:12]
        buckets = Buckets(public=f"{prefix}-media-{suffix}", private=f"{prefix}-private-{suffix}")
        client = self.client()
        for name in (buckets.public, buckets.private):
            client.create_bucket(
                Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
            )
        client.put_bucket_policy(Bucket=buckets.public, Policy=public_read_policy(buckets.public))
        return buckets

    def delete_buckets(self, buckets: Buckets) -> None:
        client = self.client()
        for name in (buckets.public, buckets.private):
            paginator = client.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=name):
                for entry in page.get("Contents", ()):
                    client.delete_object(Bucket=name, Key=entry["Key"])
            client.delete_bucket(Bucket=name)

    def keys(self, bucket: str) -> list[str]:
        paginator = self.client().get_paginator("list_objects_v2")
        return [
            entry["Key"]
            for page in paginator.paginate(Bucket=bucket)
            for entry in page.get("Contents", ())
        ]

    def env(self, buckets: Buckets) -> dict[str, str]:
        """The environment variables that point an app process at these buckets."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": buckets.public,
            "S3_PRIVATE_BUCKET": buckets.private,
            "S3_ENDPOINT_URL": self.endpoint_url,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def storages_setting(self, buckets: Buckets, staticfiles: dict) -> dict:
        """settings.STORAGES as feelmove/settings.py builds it from `env(buckets)`."""
        options = {
            "endpoint_url": self.endpoint_url,
            "region_name": REGION,
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "addressing_style": "path",
        }
        return {
            "default": {
                "BACKEND": "core.storage.PublicMediaS3Storage",
                "OPTIONS": {**options, "bucket_name": buckets.public},
            },
            "private": {
                "BACKEND": "core.storage.PrivateS3Storage",
                "OPTIONS": {**options, "bucket_name": buckets.private},
            },
            "staticfiles": staticfiles,
        }
