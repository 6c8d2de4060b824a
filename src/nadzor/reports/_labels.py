"""Words for the report: section and figure titles, and each dimension value in the page's language."""

from __future__ import annotations

from django.utils.translation import get_language, pgettext, pgettext_lazy

from nadzor.cases.domain import find_region, region_name

__all__ = ["DIMENSION", "FIGURE", "figure_title", "value_label"]

FIGURE = {
    "opened": pgettext_lazy("report", "Cases opened"),
    "with_findings": pgettext_lazy("report", "Cases with findings imported"),
    "resolved": pgettext_lazy("report", "Cases resolved"),
    "sent_home": pgettext_lazy("report", "Resolved: sent home"),
    "open_end": pgettext_lazy("report", "Open at the end of the period"),
    "overdue_end": pgettext_lazy("report", "Overdue at the end of the period"),
    "median_days": pgettext_lazy("report", "Median days from case to remedy"),
    "provision": pgettext_lazy("report", "Provision cases with findings"),
    "provision_resolved": pgettext_lazy("report", "Provision cases resolved"),
    "conditions": pgettext_lazy("report", "Conditions cases with findings"),
    "run": pgettext_lazy("report", "Cases opened or joined by an import"),
    "owed": pgettext_lazy("report", "Cases with sums owed"),
    "owed_sum": pgettext_lazy("report", "Sums owed"),
    "received": pgettext_lazy("report", "Complaints received"),
    "answered_30": pgettext_lazy("report", "Answered within 30 days"),
    "answered_60": pgettext_lazy("report", "Answered within 60 days (extended)"),
    "unanswered_overdue": pgettext_lazy("report", "Unanswered past the deadline at the end"),
}
DIMENSION = {
    "kind": pgettext_lazy("report", "Kind"),
    "region": pgettext_lazy("report", "Region"),
    "week": pgettext_lazy("report", "Week from"),
    "rule": pgettext_lazy("report", "Rule"),
    "outcome": pgettext_lazy("report", "Outcome"),
    "remedy": pgettext_lazy("report", "Remedy"),
    "facility": pgettext_lazy("report", "Facility or unit"),
    "category": pgettext_lazy("report", "Category"),
    "run": pgettext_lazy("report", "Import"),
}
_VALUES = {
    "unlawful_callup": pgettext_lazy("staff", "unlawful call-up"),
    "provision": pgettext_lazy("staff", "provision"),
    "conditions": pgettext_lazy("staff", "conditions"),
    "training": pgettext_lazy("staff", "training"),
    "abuse": pgettext_lazy("staff", "abuse"),
    "other": pgettext_lazy("staff", "other"),
    "sent_home": pgettext_lazy("staff", "sent home"),
    "deferment_granted": pgettext_lazy("staff", "deferment granted"),
    "discharged": pgettext_lazy("staff", "discharged"),
    "kit_issued": pgettext_lazy("staff", "kit issued"),
    "conditions_fixed": pgettext_lazy("staff", "conditions fixed"),
    "not_subject": pgettext_lazy("report", "not subject to call-up"),
    "deferment": pgettext_lazy("report", "entitled to a deferment"),
    "review": pgettext_lazy("report", "needs a human review"),
}


def value_label(dim: str, value: str) -> str:
    """A dimension value as a reader should see it."""
    if dim in ("region", "facility") and not value:
        return pgettext("report", "not given")
    if dim == "region" and value == "*other*":
        return pgettext("report", "other regions (each with few cases)")
    if dim == "region":
        region = find_region(value)
        return region_name(region, (get_language() or "ru").split("-")[0]) if region else value
    if dim in ("kind", "remedy", "category", "outcome") and value in _VALUES:
        return str(_VALUES[value])
    return value


def figure_title(key: str, dim: str = "", value: str = "") -> str:
    """A figure's title, with the breakdown value when there is one."""
    title = str(FIGURE.get(key, key))
    if dim in DIMENSION:
        title += f" · {DIMENSION[dim]}: {value_label(dim, value)}"
    return title
