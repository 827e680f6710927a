"""Where uploaded files' bytes live (photos of irritants): a folder on disk, or an S3-compatible bucket.

The database keeps a row per file with its key; the bytes stay out of it, so that backups of the database and
pages that list files stay light. Keys are made here (``new_key``), never from what a person sent: a key is a
fixed prefix, the row's id and a random token, so no name typed or uploaded can reach another file.

- By default the folder ``photos/`` of the Flask instance folder, or ``HUB_FILE_STORE_PATH``;
- with ``HUB_S3_BUCKET`` (and ``HUB_S3_ENDPOINT_URL``, ``HUB_S3_REGION``), the bucket through boto3, an optional
  dependency (``pip install '.[s3]'``); the credentials come from the usual AWS environment variables.
"""

from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app

KEY = re.compile(r"\A[a-z0-9_-]+(/[A-Za-z0-9_-]+)*\.[a-z0-9]+\Z")


class MissingFile(LookupError):
    """No bytes are stored under this key (removed by hand, or never written)."""


class FileStore(Protocol):
    """What every store does."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Keep ``data`` under ``key``, replacing what was there."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; ``MissingFile`` if there are none."""

    def delete(self, key: str) -> None:
        """Forget the bytes under ``key`` (nothing happens if there are none)."""


def new_key(prefix: str, row_id: int, suffix: str = "jpg") -> str:
    """A key for a row's file: the prefix, the id and a random token, so that no two files share a key."""
    return f"{prefix}/{row_id}-{secrets.token_urlsafe(18)}.{suffix}"


def checked(key: str) -> str:
    """The key itself, once sure that it is one ``new_key`` makes (no ``..``, no absolute path)."""
    if not KEY.match(key or "") or ".." in key:
        raise ValueError(f"clé de fichier invalide : {key!r}")
    return key


class DiskStore:
    """Files in a folder, one per key, written whole before they appear (no half-written file is ever read)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write to a temporary file beside the target, then rename it: the target is whole or absent."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        """The file's bytes."""
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as error:
            raise MissingFile(key) from error

    def delete(self, key: str) -> None:
        """Remove the file if it is there."""
        self._path(key).unlink(missing_ok=True)


class S3Store:
    """Objects in an S3-compatible bucket (AWS, Scaleway, OVHcloud, MinIO…)."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None, client=None):
        if client is None:
            try:
                import boto3
            except ImportError as error:  # the optional dependency: say how to install it
                raise RuntimeError("HUB_S3_BUCKET demande boto3 : pip install 'hub-experimentation[s3]'") from error
            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
        self.bucket, self.client = bucket, client

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Upload the object."""
        self.client.put_object(Bucket=self.bucket, Key=checked(key), Body=data, ContentType=content_type)

    def get(self, key: str) -> bytes:
        """Download the object."""
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=checked(key))
        except self.client.exceptions.NoSuchKey as error:
            raise MissingFile(key) from error
        return answer["Body"].read()

    def delete(self, key: str) -> None:
        """Delete the object (S3 answers the same whether it was there or not)."""
        self.client.delete_object(Bucket=self.bucket, Key=checked(key))


def from_config(config, instance_path: str | Path) -> FileStore:
    """The store the configuration describes: the bucket if one is named, else the folder."""
    if config.get("S3_BUCKET"):
        return S3Store(config["S3_BUCKET"], config.get("S3_ENDPOINT_URL"), config.get("S3_REGION"))
    return DiskStore(Path(config.get("FILE_STORE_PATH") or Path(instance_path) / "photos"))


def current() -> FileStore:
    """The running app's store, made once per app (a boto3 client is costly to build)."""
    store = current_app.extensions.get("hub.file_store")
    if store is None:
        store = current_app.extensions["hub.file_store"] = from_config(current_app.config, current_app.instance_path)
    return store
