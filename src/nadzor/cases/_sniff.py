"""The media type of an evidence file, read from its bytes; the file's name is never asked.

`detect` names what the bytes are; `accepted_type` also refuses (`BadInput`, naming the
type found) anything not on the list of evidence types: PDF, images, audio, video, office
documents and plain UTF-8 text. Executables, archives and macro-enabled office documents
are refused.

The name is never trusted to say what a file is, but it is looked at to refuse: a text file
named `.bat` or `.hta` is a program to Windows, which goes by the name when the file is
opened after a download; an HTML page (what an `.hta` is) is not plain text; an office
package holding a program is not an office document.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from pathlib import Path

import filetype

from nadzor.cases._errors import BadInput

__all__ = ["ACCEPTED_TYPES", "EXECUTABLE", "accepted_type", "detect", "detect_named"]

_HEAD = 8192
_CHUNK = 1024 * 1024
_OCTETS = "application/octet-stream"
_ZIP = "application/zip"
_OLE = "application/x-ole-storage"
_TEXT = "text/plain"
_HTML = "text/html"
EXECUTABLE = "application/x-msdownload"
# what Windows (or a browser) runs or renders when such a file is opened
_RUNNABLE = frozenset(
    {
        "app", "application", "appref-ms", "bat", "cmd", "com", "cpl", "dll", "exe", "gadget",
        "hta", "htm", "html", "inf", "ins", "isp", "jar", "js", "jse", "lnk", "mht", "mhtml",
        "msc", "msi", "msp", "mst", "pif", "ps1", "ps1xml", "ps2", "psc1", "psm1", "reg",
        "scf", "scr", "sct", "sh", "shb", "svg", "url", "vb", "vbe", "vbs", "ws", "wsc", "wsf",
        "wsh", "xbap", "xhtml", "xht",
    }
)  # fmt: skip
_MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|script|hta:|svg|iframe|body)\b", re.I)

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
_ODT = "application/vnd.oasis.opendocument.text"
_ODS = "application/vnd.oasis.opendocument.spreadsheet"
_ODP = "application/vnd.oasis.opendocument.presentation"

ACCEPTED_TYPES: frozenset[str] = frozenset(
    {
        "application/pdf",
        # images
        "image/jpeg",
        "image/png",
        "image/gif",
        "image/webp",
        "image/tiff",
        "image/bmp",
        "image/heic",
        "image/avif",
        # audio
        "audio/mpeg",
        "audio/mp4",
        "audio/aac",
        "audio/ogg",
        "audio/x-flac",
        "audio/x-wav",
        "audio/amr",
        "audio/x-aiff",
        # video
        "video/mp4",
        "video/x-m4v",
        "video/quicktime",
        "video/3gpp",
        "video/x-matroska",
        "video/webm",
        "video/x-msvideo",
        "video/x-ms-wmv",
        "video/mpeg",
        # office documents
        _DOCX,
        _XLSX,
        _PPTX,
        _ODT,
        _ODS,
        _ODP,
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/rtf",
        _TEXT,
    }
)

_ODF_TYPES = frozenset({_ODT, _ODS, _ODP})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the content type of the main part of an Office Open XML package, e.g.
# `...wordprocessingml.document.main+xml` (the document's own type with `.main+xml`)
_MAIN_PART = re.compile(rb"""ContentType=["']([A-Za-z0-9.+/-]+)\.main\+xml["']""")
_MAX_MANIFEST = 1024 * 1024


def runnable_name(name: str) -> bool:
    """Whether a file of this name would be run (or rendered) when opened."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().rstrip(". ")
    return "." in base and base.rsplit(".", 1)[1].lower() in _RUNNABLE


def detect_named(path: Path, name: str) -> str:
    """`detect`, except that a file named as a program is a program whatever its bytes."""
    found = detect(path)
    if found and runnable_name(name):
        return EXECUTABLE
    return found


def accepted_type(path: Path, name: str = "") -> str:
    """The media type of the file at `path`; `BadInput` when evidence may not be of that type."""
    found = detect_named(path, name)
    if found == "":
        raise BadInput("the file is empty")
    if found not in ACCEPTED_TYPES:
        raise BadInput(
            f"files of type {found} are not accepted as evidence; accepted are PDF, images,"
            " audio, video, office documents and plain text"
        )
    return found


def detect(path: Path) -> str:
    """What the bytes at `path` are: a media type, `application/octet-stream` when unknown,
    and the empty text for an empty file."""
    with path.open("rb") as handle:
        head = handle.read(_HEAD)
    if not head:
        return ""
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path)
    guessed = filetype.guess_mime(head)
    if guessed:
        return str(guessed)
    if head.startswith(_OLE_MAGIC):
        return _OLE
    if _is_text(path):
        page = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        return _HTML if page.startswith(b"<") and _MARKUP.search(page[:1024]) else _TEXT
    return _OCTETS


def _zip_type(path: Path) -> str:
    """An office document (ODF or Office Open XML) by its manifest, else a plain ZIP."""
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
            if any(runnable_name(name) for name in names):
                return _ZIP  # a package carrying a program is no office document
            if "mimetype" in names and package.getinfo("mimetype").file_size <= 200:
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF_TYPES else _ZIP
            if "[Content_Types].xml" in names:
                info = package.getinfo("[Content_Types].xml")
                if info.file_size <= _MAX_MANIFEST:
                    main = _MAIN_PART.search(package.read(info))
                    if main:
                        return main.group(1).decode("ascii")
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
        # damaged, encrypted or of a compression that cannot be read: a ZIP and no more
        return _ZIP
    return _ZIP


def _is_text(path: Path) -> bool:
    """Whether the whole file is UTF-8 text with no NUL character."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                if b"\x00" in chunk:
                    return False
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
