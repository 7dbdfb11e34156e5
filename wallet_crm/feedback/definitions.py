"""What each figure is called and how it is defined, in Chinese and English (from the KPI registry, `kpis.py`).

The Feedback page shows the definition as the tile's tooltip and the report workbook prints it beside
the figure, so a manager reads the same sentence wherever the number appears.
"""

from __future__ import annotations

from wallet_crm.feedback.kpis import KPIS, SECTIONS
from wallet_crm.followup.vocabulary import check_language

PERCENT_KEYS = frozenset(key for key, kpi in KPIS.items() if kpi.unit == "percent")


def figure_name(key: str, language: str = "zh_CN") -> str:
    """A figure's (or a report table's) name in `language`."""
    language = check_language(language)
    kpi = KPIS.get(key)
    return kpi.name[language] if kpi is not None else SECTIONS[key][language][0]


def figure_definition(key: str, language: str = "zh_CN") -> str:
    language = check_language(language)
    kpi = KPIS.get(key)
    return kpi.definition[language] if kpi is not None else SECTIONS[key][language][1]


def format_figure(key: str, value: float | int | None) -> str:
    """`—` for a ratio with nothing to divide by; percentages with one decimal; counts with thousands."""
    return KPIS[key].format(value)
