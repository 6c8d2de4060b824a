"""Charts drawn on the server: Altair specifications rendered to SVG by vl-convert."""

from __future__ import annotations

import html

from nadzor.reports._model import Table

__all__ = ["chart_svg"]


def chart_svg(table: Table) -> str:
    """An inline SVG bar chart of a one-column table, titled, with `role="img"`."""
    import altair as alt
    import vl_convert

    values = [
        {"label": row.label, "count": row.cells[0].value or 0, "order": n}
        for n, row in enumerate(table.rows)
    ]
    week = table.key.endswith(".week")
    x = alt.X("label:N", sort=None, title=table.header, axis=alt.Axis(labelAngle=-45))
    whole = alt.Axis(format="d", tickMinStep=1)  # counts: no 0.5 ticks
    y = alt.Y("count:Q", title=table.columns[0], axis=whole)
    chart = (
        alt.Chart(alt.Data(values=values), title=table.title, width=360, height=180)
        .mark_bar(color="#2b5797")
        .encode(x=x, y=y)
    )
    if not week:
        chart = chart.encode(
            y=alt.Y("label:N", sort=None, title=table.header),
            x=alt.X("count:Q", title=table.columns[0], axis=whole),
        ).properties(height=alt.Step(18))
    spec = chart.configure(font="DejaVu Sans").to_json()
    svg = vl_convert.vegalite_to_svg(spec)
    title = f"<title>{html.escape(table.title)}</title>"
    start = svg.index(">", svg.index("<svg")) + 1
    svg = svg[:start] + title + svg[start:]
    return svg.replace("<svg ", '<svg role="img" ', 1)
