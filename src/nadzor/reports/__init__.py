"""Reports: aggregate figures of cases and complaints (services in `nadzor.reports.services`)."""
