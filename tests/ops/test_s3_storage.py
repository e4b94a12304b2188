"""Attachments in S3-compatible object storage (SPEC §13), against a real S3 API server
(moto in server mode, started by the test on 127.0.0.1)."""
import io
import socket

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lapor.reports import services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.reports.models import Attachment


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def s3(settings, monkeypatch):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    for name, value in {"AWS_ACCESS_KEY_ID": "lapor", "AWS_SECRET_ACCESS_KEY": "rahasia",
                        "AWS_DEFAULT_REGION": "ap-southeast-3"}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=endpoint, region_name="ap-southeast-3")
    client.create_bucket(Bucket="lapor-lampiran", CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
    settings.AWS_STORAGE_BUCKET_NAME = "lapor-lampiran"
    settings.AWS_S3_ENDPOINT_URL = endpoint
    settings.AWS_S3_REGION_NAME = "ap-southeast-3"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage"}}
    yield client, endpoint
    server.stop()


def test_an_attachment_makes_the_round_trip_through_object_storage(s3, world):
    client, endpoint = s3
    out = io.BytesIO()
    Image.new("RGB", (12, 12), (10, 20, 200)).save(out, format="PNG")
    report = services.report_submit(reporter=world.citizen, title="Banjir", body="Air setinggi lutut")
    attachment = attachment_store(report=report, clean=clean_upload(SimpleUploadedFile("banjir.png", out.getvalue())))

    stored = client.get_object(Bucket="lapor-lampiran", Key=attachment.file.name)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (12, 12)
    with Attachment.objects.get(pk=attachment.pk).file.open("rb") as handle:
        assert handle.read() == stored
    # Private objects: nobody is granted public read; links are signed and expire.
    acl = client.get_object_acl(Bucket="lapor-lampiran", Key=attachment.file.name)
    assert not any(g["Grantee"].get("URI", "").endswith("AllUsers") for g in acl["Grants"])
    assert "X-Amz-Signature=" in attachment.file.url
