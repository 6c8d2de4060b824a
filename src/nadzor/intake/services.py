"""The intake services: one core for the CLI, the web pages and the worker."""

from nadzor.intake._files import intake_root, original_path, view_path
from nadzor.intake._import import ImportReport, import_folder
from nadzor.intake._items import Added, Provenance, add_item, add_text
from nadzor.intake._links import link_case, link_complaint, open_original, set_verification
from nadzor.intake._queries import (
    CLUSTER_COLUMNS,
    ClusterRow,
    ItemFilters,
    ItemPage,
    Progress,
    cluster_listing,
    find_item,
    item_page,
    item_progress,
    search_items,
    triage_clusters,
)
from nadzor.intake._work import WorkReport, work

__all__ = [
    "CLUSTER_COLUMNS",
    "Added",
    "ClusterRow",
    "ImportReport",
    "ItemFilters",
    "ItemPage",
    "Progress",
    "Provenance",
    "WorkReport",
    "add_item",
    "add_text",
    "cluster_listing",
    "find_item",
    "import_folder",
    "intake_root",
    "item_page",
    "item_progress",
    "link_case",
    "link_complaint",
    "open_original",
    "original_path",
    "search_items",
    "set_verification",
    "triage_clusters",
    "view_path",
    "work",
]
