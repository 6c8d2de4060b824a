"""The words of the intake pages for values the services keep in English: kinds, states,
verification statuses, metadata fields, suggestion kinds and the reasons a file failed."""

from __future__ import annotations

from django.utils.translation import pgettext, pgettext_lazy

__all__ = ["LABELS", "META_LABELS", "failure", "label"]

LABELS = {
    "image": pgettext_lazy("intake kind", "image"),
    "video": pgettext_lazy("intake kind", "video"),
    "audio": pgettext_lazy("intake kind", "audio"),
    "text": pgettext_lazy("intake kind", "text"),
    "other": pgettext_lazy("intake kind", "other file"),
    "queued": pgettext_lazy("intake state", "waiting for processing"),
    "running": pgettext_lazy("intake state", "in progress"),
    "done": pgettext_lazy("intake state", "done"),
    "processed": pgettext_lazy("intake state", "processed"),
    "failed": pgettext_lazy("intake state", "failed"),
    "unverified": pgettext_lazy("verification", "unverified"),
    "corroborated": pgettext_lazy("verification", "corroborated"),
    "verified": pgettext_lazy("verification", "verified"),
    "disputed": pgettext_lazy("verification", "disputed"),
    "hash": pgettext_lazy("intake job", "hashes and clusters"),
    "extract": pgettext_lazy("intake job", "places, organisations, dates and units"),
    "place": pgettext_lazy("suggestion", "place"),
    "organisation": pgettext_lazy("suggestion", "organisation"),
    "date": pgettext_lazy("suggestion", "date"),
    "unit": pgettext_lazy("suggestion", "military unit"),
}

META_LABELS = {
    "format": pgettext_lazy("metadata", "Format"),
    "container": pgettext_lazy("metadata", "Container"),
    "codecs": pgettext_lazy("metadata", "Codecs"),
    "duration": pgettext_lazy("metadata", "Duration, s"),
    "width": pgettext_lazy("metadata", "Width, px"),
    "height": pgettext_lazy("metadata", "Height, px"),
    "created": pgettext_lazy("metadata", "Created (as the file says)"),
    "device": pgettext_lazy("metadata", "Device"),
    "software": pgettext_lazy("metadata", "Software"),
    "encoder": pgettext_lazy("metadata", "Encoder"),
    "major_brand": pgettext_lazy("metadata", "File brand"),
    "handler_name": pgettext_lazy("metadata", "Track handler"),
    "characters": pgettext_lazy("metadata", "Characters"),
    "warning": pgettext_lazy("metadata", "Warning"),
    "gps": pgettext_lazy("metadata", "GPS position"),
}


def label(value: str) -> str:
    return str(LABELS.get(value, value))


_FAILURES = (
    (
        "the image is too large",
        pgettext_lazy(
            "intake failure",
            "The image is too large to decode safely (possibly a decompression bomb).",
        ),
    ),
    (
        "the image has",
        pgettext_lazy(
            "intake failure",
            "The image is too large to decode safely (possibly a decompression bomb).",
        ),
    ),
    (
        "the image cannot be decoded",
        pgettext_lazy(
            "intake failure",
            "The image cannot be decoded: the file is damaged or is not what it claims to be.",
        ),
    ),
    (
        "the file cannot be opened",
        pgettext_lazy(
            "intake failure",
            "The file cannot be opened as audio or video: it is damaged or cut short.",
        ),
    ),
    (
        "no picture could be decoded",
        pgettext_lazy("intake failure", "Not a single picture could be decoded from the video."),
    ),
    (
        "the video's frames are too large",
        pgettext_lazy("intake failure", "The video's frames are too large to decode safely."),
    ),
    ("decoding took", pgettext_lazy("intake failure", "Decoding took longer than allowed.")),
    (
        "decoding needs more",
        pgettext_lazy("intake failure", "Decoding needs more memory than allowed."),
    ),
    (
        "stopped after",
        pgettext_lazy("intake failure", "Processing failed several times and was stopped."),
    ),
)


def failure(reason: str) -> str:
    """The reason an item failed, in the page's language."""
    for start, sentence in _FAILURES:
        if reason.startswith(start):
            return str(sentence)
    return pgettext("intake failure", "The file could not be processed.")
