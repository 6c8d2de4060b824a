"""The intake domain: items, their kinds and states, unit numbers, the manifest, the
near-duplicate measures and who may do what. No framework, no store."""

from nadzor.intake.domain._manifest import ManifestError, ManifestRow, parse_manifest, parse_moment
from nadzor.intake.domain._model import ItemKind, ItemState, Span, Verification, kind_of
from nadzor.intake.domain._near import (
    CROP_VARIANTS,
    FRAME_MATCH_SHARE,
    PDQ_MAX_DISTANCE,
    TEXT_MIN_SIMILARITY,
    VIDEO_FRAME_SECONDS,
    UnionFind,
    cluster_pictures,
    distances,
    hash_words,
    near_pairs,
    pack_bits,
    shingles,
    videos_match,
    word_distances,
)
from nadzor.intake.domain._permissions import IntakeOp, may_intake, require_intake
from nadzor.intake.domain._units import find_units, unit_key

__all__ = [
    "CROP_VARIANTS",
    "FRAME_MATCH_SHARE",
    "PDQ_MAX_DISTANCE",
    "TEXT_MIN_SIMILARITY",
    "VIDEO_FRAME_SECONDS",
    "IntakeOp",
    "ItemKind",
    "ItemState",
    "ManifestError",
    "ManifestRow",
    "Span",
    "UnionFind",
    "Verification",
    "cluster_pictures",
    "distances",
    "find_units",
    "hash_words",
    "kind_of",
    "may_intake",
    "near_pairs",
    "pack_bits",
    "parse_manifest",
    "parse_moment",
    "require_intake",
    "shingles",
    "unit_key",
    "videos_match",
    "word_distances",
]
