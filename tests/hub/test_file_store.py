"""The file store: a folder by default, an S3 bucket when configured (tested against moto's own HTTP server)."""

from __future__ import annotations

import socket

import pytest

from hub.core import file_store


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_keys_are_made_from_the_id_and_a_random_token():
    first, second = file_store.new_key("irritant-photos", 7), file_store.new_key("irritant-photos", 7)
    assert first != second and first.startswith("irritant-photos/7-") and first.endswith(".jpg")
    assert file_store.checked(first) == first
    for forged in ("../secret_key", "/etc/passwd", "irritant-photos/../../x.jpg", "a/b c.jpg", ""):
        with pytest.raises(ValueError):
            file_store.checked(forged)


def test_the_disk_store_keeps_reads_and_forgets(tmp_path):
    store = file_store.DiskStore(tmp_path / "photos")
    key = file_store.new_key("irritant-photos", 1)
    store.put(key, b"octets", "image/jpeg")
    assert store.get(key) == b"octets"
    assert [p.name for p in (tmp_path / "photos" / "irritant-photos").iterdir()] == [key.split("/")[1]]
    store.delete(key)
    store.delete(key)  # twice: nothing to say
    with pytest.raises(file_store.MissingFile):
        store.get(key)


def test_the_default_store_is_the_instance_folder_or_the_configured_one(make_app, tmp_path):
    with make_app().app_context():
        assert file_store.current().root == tmp_path / "photos"
    with make_app(FILE_STORE_PATH=str(tmp_path / "ailleurs")).app_context():
        assert file_store.current().root == tmp_path / "ailleurs"


def test_the_settings_come_from_the_environment(tmp_path):
    from hub.core.config import load

    config = load({"HUB_S3_BUCKET": "photos-hub", "HUB_S3_ENDPOINT_URL": "https://s3.exemple.fr",
                   "HUB_S3_REGION": "fr-par", "HUB_FILE_STORE_PATH": "/srv/photos"}, tmp_path)
    assert (config["S3_BUCKET"], config["S3_ENDPOINT_URL"], config["S3_REGION"], config["FILE_STORE_PATH"]) == (
        "photos-hub", "https://s3.exemple.fr", "fr-par", "/srv/photos")


@pytest.fixture
def s3_server(monkeypatch):
    """moto's S3 server on a free local port, with made-up credentials in the environment like production's."""
    pytest.importorskip("boto3")
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "essai")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "essai")
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_the_s3_store_round_trips_over_the_s3_protocol(make_app, s3_server):
    import boto3

    boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3").create_bucket(
        Bucket="photos-hub", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    app = make_app(S3_BUCKET="photos-hub", S3_ENDPOINT_URL=s3_server, S3_REGION="eu-west-3")
    with app.app_context():
        store = file_store.current()
        assert isinstance(store, file_store.S3Store)
        key = file_store.new_key("irritant-photos", 3)
        store.put(key, b"\xff\xd8 photo", "image/jpeg")
        assert store.get(key) == b"\xff\xd8 photo"
        # The object is really in the bucket, with its type, as another S3 client reads it.
        listed = boto3.client("s3", endpoint_url=s3_server, region_name="eu-west-3").get_object(
            Bucket="photos-hub", Key=key)
        assert listed["ContentType"] == "image/jpeg"
        store.delete(key)
        with pytest.raises(file_store.MissingFile):
            store.get(key)
