"""Charts (Altair/Vega-Lite specifications, rendered by the pages)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.plan import Plan
from geo.stats import TOTAL_ROW, UNASSIGNED_ROW


# Vega's number format is English (80,000); Italian groups thousands with dots.
_ITALIAN_THOUSANDS = "replace(format(datum.value, ','), /,/g, '.')"


def residents_chart(stats: pd.DataFrame, plan: Plan) -> alt.LayerChart:
    """Bars of residents per zone in the zones' colours, with a rule at the mean.

    Parameters
    ----------
    stats : pandas.DataFrame
        Output of :func:`geo.stats.zone_statistics`.
    plan : Plan
        Gives the zone colours.
    """
    zones = stats.drop(index=[r for r in (UNASSIGNED_ROW, TOTAL_ROW) if r in stats.index])
    data = pd.DataFrame({
        "zona": zones["zona"].to_numpy(),
        "residenti": zones["residenti"].astype(int).to_numpy(),
        "colore": [plan.zone(z).color for z in zones.index],
    })
    mean = float(data["residenti"].mean()) if len(data) else 0.0
    bars = alt.Chart(data).mark_bar(stroke="#333333", strokeWidth=0.5).encode(
        y=alt.Y("zona:N", sort=None, title=None, axis=alt.Axis(labelLimit=180, labelFontSize=13, labelOverlap=False)),
        x=alt.X("residenti:Q", title="Residenti", axis=alt.Axis(labelExpr=_ITALIAN_THOUSANDS)),
        color=alt.Color("colore:N", scale=None, legend=None),
        tooltip=[alt.Tooltip("zona:N", title="Zona"), alt.Tooltip("residenti:Q", title="Residenti", format=",")],
    )
    rule = alt.Chart(pd.DataFrame({"media": [mean]})).mark_rule(color="#D00000", strokeDash=[6, 3], size=2).encode(
        x="media:Q", tooltip=[alt.Tooltip("media:Q", title="Media delle zone", format=",.0f")],
    )
    return (bars + rule).properties(height=max(120, 44 * len(data)))
