"""`render_plan(results)`: the generated sheets of design §4, in tab order."""

from __future__ import annotations

from ..engine.models import Results
from .charts import build_chart_sheets
from .kpi_values import build_kpi_values
from .names import KPI_VALUES, NARRATIVE, SCORECARD
from .narrative import build_narrative
from .plan import Plan
from .scorecard import build_scorecard
from .values import cell_value


def render_plan(results: Results) -> Plan:
    """Scorecard, KPI Values, one `Charts - <section>` per section, Narrative."""
    scorecard = build_scorecard(results)
    layout = build_kpi_values(results)
    taken = {n.casefold() for n in (SCORECARD, KPI_VALUES, NARRATIVE)}
    charts = build_chart_sheets(results, layout, taken)
    sheets = (scorecard, layout.sheet, *charts, build_narrative(results))
    return Plan(sheets, cell_value(results.reporting_month), results.settings.authority)
