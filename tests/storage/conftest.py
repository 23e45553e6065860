"""Zip surgery for storage tests: take a saved file apart, change it, and put it back together
with a valid integrity checksum, so the checks *behind* the checksum are what a test exercises."""
import hashlib
import io
import json
import zipfile

import pytest

from playground.storage import format as fmt


class ZipSurgery:
    @staticmethod
    def members(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {info.filename: archive.read(info) for info in archive.infolist()}

    @staticmethod
    def rebuild(members, fix_digests: bool = True) -> bytes:
        """Sealed zip of (name, bytes) pairs (a dict or a list, so duplicates are possible).

        With ``fix_digests`` the manifest's per-array sha256 entries are updated to the members'
        new bytes, so only shape/dtype/header checks can catch a change.
        """
        pairs = list(members.items()) if isinstance(members, dict) else list(members)
        if fix_digests:
            names = dict(pairs)
            manifest = json.loads(names[fmt.MANIFEST])
            for name, spec in manifest.get("arrays", {}).items():
                member = fmt.ARRAY_FOLDER + name
                if member in names and isinstance(spec, dict):
                    spec["sha256"] = hashlib.sha256(names[member]).hexdigest()
            pairs = [(n, json.dumps(manifest).encode() if n == fmt.MANIFEST else b)
                     for n, b in pairs]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, payload in pairs:
                archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), payload)
        return fmt.seal(buffer.getvalue())

    def manifest(self, data: bytes) -> dict:
        return json.loads(self.members(data)[fmt.MANIFEST])

    def with_manifest(self, data: bytes, manifest) -> bytes:
        members = self.members(data)
        members[fmt.MANIFEST] = json.dumps(manifest).encode()
        return self.rebuild(members, fix_digests=False)


@pytest.fixture
def surgery():
    return ZipSurgery()
