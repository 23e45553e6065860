"""Reading the sealed zip container of a saved playground with bounded time and memory.

Everything a hostile file could use to make reading slow or large is checked from a few bytes
before it is trusted (the caller opens only regular files and bounds their size): the integrity
digest is computed in chunks straight from the file, and the end-of-central-directory record
must state a small directory of few entries (zipfile would otherwise build an object for each
of millions of listed entries) with no ZIP64 extension. Members are then read in chunks into
buffers of their declared size, so a member that inflates past what it declares never costs
more than that.
"""
from __future__ import annotations

import hashlib
import struct
import zipfile

from playground.messages import quote
from playground.storage.errors import StorageError

TRAILER_PREFIX = b"bpp-sha256:"
DIGEST_HEX_BYTES = 64
TRAILER_BYTES = len(TRAILER_PREFIX) + DIGEST_HEX_BYTES
LOCAL_HEADER = b"PK\x03\x04"
END_RECORD = struct.Struct("<4s4H2LH")     # signature, disks, entries, directory size/offset
END_SIGNATURE = b"PK\x05\x06"
ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
ZIP64_LOCATOR_BYTES = 20
CHUNK_BYTES = 1 << 20
# A directory entry is 46 bytes plus its name (ours are short); a generous allowance each.
DIRECTORY_BYTES_PER_MEMBER = 512


def check_seal(stream, size: int) -> None:
    """The file starts like a zip and ends with a SHA-256 of everything before the digest."""
    stream.seek(0)
    if stream.read(len(LOCAL_HEADER)) != LOCAL_HEADER:
        raise StorageError("this is not a saved playground (it is not a zip archive)"
                           if size else "the file is empty")
    if size < TRAILER_BYTES + END_RECORD.size:
        raise StorageError("the file is truncated or was rewritten by another program "
                           "(its integrity checksum at the end is missing)")
    stream.seek(size - TRAILER_BYTES)
    trailer = stream.read(TRAILER_BYTES)
    if not trailer.startswith(TRAILER_PREFIX):
        raise StorageError("the file is truncated or was rewritten by another program "
                           "(its integrity checksum at the end is missing)")
    digest = hashlib.sha256()
    stream.seek(0)
    remaining = size - DIGEST_HEX_BYTES
    while remaining > 0:
        chunk = stream.read(min(CHUNK_BYTES, remaining))
        if not chunk:
            raise StorageError("the file is truncated (it changed while it was read)")
        digest.update(chunk)
        remaining -= len(chunk)
    if digest.hexdigest().encode("ascii") != trailer[len(TRAILER_PREFIX):]:
        raise StorageError("the file is corrupt: its SHA-256 checksum does not match its contents "
                           "(it was damaged or changed after saving)")


def check_directory_record(stream, size: int, max_members: int) -> None:
    """Refuse, from the end record alone, a directory zipfile should not even parse.

    A sealed file's end record sits right before the trailer, which is its comment.
    """
    at = size - TRAILER_BYTES - END_RECORD.size
    stream.seek(at)
    (signature, disk, directory_disk, entries_here, entries, directory_bytes, directory_at,
     comment_bytes) = END_RECORD.unpack(stream.read(END_RECORD.size))
    if signature != END_SIGNATURE or comment_bytes != TRAILER_BYTES:
        raise StorageError("the file is corrupt: its zip directory record is missing")
    if at >= ZIP64_LOCATOR_BYTES:
        stream.seek(at - ZIP64_LOCATOR_BYTES)
        if stream.read(len(ZIP64_LOCATOR_SIGNATURE)) == ZIP64_LOCATOR_SIGNATURE:
            raise StorageError("the file uses ZIP64 records, which a saved playground never needs")
    if disk or directory_disk or entries_here != entries:
        raise StorageError("the file is corrupt: it claims to span several zip volumes")
    if entries > max_members:
        raise StorageError(f"the file lists {entries:,} members, more than {max_members:,}")
    if directory_bytes > max_members * DIRECTORY_BYTES_PER_MEMBER:
        raise StorageError(f"the file's zip directory is {directory_bytes:,} bytes, more than "
                           f"{max_members:,} members need")
    if directory_at + directory_bytes > at:
        raise StorageError("the file is corrupt: its zip directory lies outside the file")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytearray:
    """The member's bytes, exactly its declared size, read in chunks (CRC-32 checked).

    The buffer is allocated once at the declared size, which the caller has already bounded;
    zipfile inflates at most a chunk at a time and stops at the declared size.
    """
    data = bytearray(info.file_size)
    view = memoryview(data)
    filled = 0
    with archive.open(info) as member:
        while filled < info.file_size:
            chunk = member.read(min(CHUNK_BYTES, info.file_size - filled))
            if not chunk:
                break
            view[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
    if filled != info.file_size:
        raise StorageError(f"member {quote(info.filename)} is truncated")
    return data
