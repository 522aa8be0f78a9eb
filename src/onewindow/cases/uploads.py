"""Material files (申请材料): the real type is sniffed from the content, never trusted from the name; files
stored by a use-case that then fails are deleted again, so a rolled-back act leaves no orphan in storage."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from onewindow.core.errors import ErrorCode, InvalidInput

ALLOWED_TYPES = {
    "application/pdf": (".pdf", "PDF 文档"),
    "image/jpeg": (".jpg", "JPEG 图片"),
    "image/png": (".png", "PNG 图片"),
    "application/ofd": (".ofd", "OFD 版式文档"),
}
_EXTENSIONS = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".ofd": "application/ofd"}


class InvalidUpload(InvalidInput):
    code = ErrorCode.INVALID_UPLOAD


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    size: int
    sha256: str


def sniff(content: bytes) -> str | None:
    """Content type from the magic bytes: PDF, JPEG, PNG, or OFD (a zip container holding OFD.xml)."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = {name.lower() for name in archive.namelist()}
        except (zipfile.BadZipFile, ValueError):
            return None
        if "ofd.xml" in names:
            return "application/ofd"
    return None


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def check_upload(content: bytes, filename: str) -> CheckedFile:
    """Validate one uploaded material: not empty, within MAX_UPLOAD_BYTES, a PDF/JPEG/PNG/OFD by content."""
    limit = max_upload_bytes()
    size = len(content)
    if size == 0:
        raise InvalidUpload(f"文件“{filename}”是空文件", fields={"file": "empty"})
    if size > limit:
        raise InvalidUpload(
            f"文件“{filename}”大小 {size / 1024 / 1024:.1f} MB，超过上限 {limit / 1024 / 1024:.0f} MB",
            fields={"file": "too_large"},
        )
    content_type = sniff(content)
    if content_type is None:
        raise InvalidUpload(
            f"文件“{filename}”的内容不是 PDF、JPEG、PNG 或 OFD 文件（按文件内容识别，与扩展名无关）",
            fields={"file": "type"},
        )
    suffix = PurePath(filename or "").suffix.lower()
    claimed = _EXTENSIONS.get(suffix)
    if suffix and claimed != content_type:
        raise InvalidUpload(
            f"文件“{filename}”的内容是{ALLOWED_TYPES[content_type][1]}，与扩展名“{suffix}”不符",
            fields={"file": "type_mismatch"},
        )
    return CheckedFile(
        content=content,
        content_type=content_type,
        extension=ALLOWED_TYPES[content_type][0],
        size=size,
        sha256=hashlib.sha256(content).hexdigest(),
    )


# -- storing files all or nothing -------------------------------------------------------------------------
# The names stored inside the innermost open `files_discarded_on_failure()` block (None: no block is open).
_stored: ContextVar[list[str] | None] = ContextVar("cases_stored_files", default=None)


def store(path: str, content: bytes) -> str:
    """Save `content` under (about) `path` in the default storage and return the name it got; inside
    `files_discarded_on_failure()` the file is deleted again if the block fails."""
    name = default_storage.save(path, ContentFile(content))
    names = _stored.get()
    if names is not None:
        names.append(name)
    return name


@contextmanager
def files_discarded_on_failure() -> Iterator[None]:
    """Delete every file `store` saved inside the block if the block raises: the database rows that named them
    roll back with the act, and so do the files. An enclosing block takes over the files of a block that ends
    well, so that its own failure discards them too."""
    names: list[str] = []
    outer = _stored.get()
    token = _stored.set(names)
    try:
        yield
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    finally:
        _stored.reset(token)
    if outer is not None:
        outer.extend(names)
