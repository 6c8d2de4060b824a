"""The report services: aggregate figures of cases and complaints, each traceable to its cases."""

from nadzor.reports._figures import Figures, RegionRow, figures

__all__ = ["Figures", "RegionRow", "figures"]
