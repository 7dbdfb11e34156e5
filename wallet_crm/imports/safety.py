"""Look at a file before any reader touches it: what it really is, and whether it is safe to open.

The extension is not trusted: the first bytes decide. A zip is checked against its declared sizes
and compression ratio before calamine (which has no decompression limit) reads it; an OLE2 file
holding `EncryptionInfo` is a password-protected workbook. Every refusal is an `UnreadableFileError`
naming the file, and nothing has been read into the database by then.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

from wallet_crm.errors import UnreadableFileError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A 1M-row export is ~0.5 GB of XML; a sheet that big is streamed (xlsx_stream), so this bounds time, not memory.
MAX_UNCOMPRESSED_BYTES = 1024**3
MAX_RATIO = 200  # real workbooks compress 5-30x; bombs thousands of times
RATIO_CHECK_FROM = 1024 * 1024  # small parts may compress very well and harm nobody
MAX_MEMBERS = 10_000
# The compression methods Python's zipfile reads: a part in any other (Deflate64, say) can't be checked.
READABLE_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileInfo:
    path: Path
    kind: str  # "xlsx", "xls" or "csv"
    size: int
    sha256: str


def inspect_file(path: Path) -> FileInfo:
    """What `path` is and its sha256, or `UnreadableFileError` saying why it can't be imported."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except FileNotFoundError as exc:
        raise UnreadableFileError(code="file.missing", file=path.name) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError(code="file.folder", file=path.name) from exc
    except OSError as exc:
        raise UnreadableFileError(code="file.unreadable", file=path.name, reason=exc.strerror) from exc
    if not head:
        raise UnreadableFileError(code="file.empty", file=path.name)
    if head.startswith(ZIP_MAGIC):
        kind = "xlsx"
        _check_zip(path)
    elif head.startswith(OLE_MAGIC):
        kind = "xls"
        _check_ole(path)
    else:
        kind = "csv"
        _check_text(path, head)
    return FileInfo(path=path, kind=kind, size=path.stat().st_size, sha256=file_sha256(path))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFileError(code="file.bad_workbook", file=path.name) from exc
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise UnreadableFileError(code="file.zip_not_excel", file=path.name)
    if "xl/workbook.bin" in names:
        raise UnreadableFileError(code="file.xlsb", file=path.name)
    if len(members) > MAX_MEMBERS:
        raise UnreadableFileError(code="file.too_many_parts", file=path.name, parts=len(members))
    total = 0
    for member in members:
        _check_member_readable(path, member)
        total += member.file_size
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size >= RATIO_CHECK_FROM and ratio > MAX_RATIO:
            raise UnreadableFileError(code="file.bomb_ratio", file=path.name, ratio=ratio)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableFileError(
            code="file.too_big",
            file=path.name,
            size=f"{total / 1024**3:.1f}",
            limit=f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f}",
        )


def _check_member_readable(path: Path, member: zipfile.ZipInfo) -> None:
    """A part the checks (and the streaming reader) can't open is refused here, not met later as a crash."""
    if member.flag_bits & 0x1:
        raise UnreadableFileError(code="file.encrypted_zip", file=path.name)
    if member.compress_type not in READABLE_METHODS:
        raise UnreadableFileError(code="file.unusual_compression", file=path.name, method=member.compress_type)


def _check_ole(path: Path) -> None:
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    except (OSError, ValueError, IndexError) as exc:  # olefile raises these on damaged files
        raise UnreadableFileError(code="file.bad_xls", file=path.name) from exc
    if "encryptioninfo" in streams or "encryptedpackage" in streams:
        raise UnreadableFileError(code="file.password", file=path.name)
    if "workbook" not in streams and "book" not in streams:
        raise UnreadableFileError(code="file.office_not_excel", file=path.name)


_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _check_text(path: Path, head: bytes) -> None:
    """A CSV is text: a NUL byte (outside UTF-16) or a known binary signature means it is not one."""
    if head.startswith(_TEXT_BOMS[1:]):
        return
    for signature, what in (
        (b"%PDF", {"en": "a PDF", "zh_CN": " PDF 文件"}),
        (b"\x89PNG", {"en": "a PNG image", "zh_CN": " PNG 图片"}),
        (b"\xff\xd8\xff", {"en": "a JPEG image", "zh_CN": " JPEG 图片"}),
        (b"Rar!", {"en": "a RAR archive", "zh_CN": " RAR 压缩包"}),
        (b"\x1f\x8b", {"en": "a gzip archive", "zh_CN": " gzip 压缩包"}),
        (b"7z\xbc\xaf", {"en": "a 7z archive", "zh_CN": " 7z 压缩包"}),
        (b"SQLite format 3", {"en": "a database", "zh_CN": "数据库文件"}),
    ):
        if head.startswith(signature):
            raise UnreadableFileError(code="file.not_spreadsheet_kind", file=path.name, kind=what)
    if b"\x00" in head:
        raise UnreadableFileError(code="file.binary", file=path.name)
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")):
        raise UnreadableFileError(code="file.web_page", file=path.name)
