"""The Feedback page's charts (QtCharts): the weekly trend, topics with their complaints, and categories.

Each chart is one `QChartView` whose chart is refilled in place for every new report; clicking a bar
or a slice emits what it stands for, so the page can show the attempts behind it.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from wallet_crm.feedback.figures import TopicCount, WeekFigures

BLUE, ORANGE, RED, GREY = "#2f6fb3", "#e07b39", "#c0392b", "#9db4cc"
# Labels on a count axis at most MAX_COUNT_STEPS + 1: QtCharts shows "..." for every label once they
# don't fit the height (the trend chart is ~110 px high at 1024×700).
MAX_COUNT_STEPS = 3
CATEGORY_COLOURS = {"praise": "#2e8b57", "complaint": "#c0392b", "suggestion": "#e0a030", "question": "#2f6fb3"}


def count_axis(maximum: int) -> QValueAxis:
    """An axis for counts: whole-number ticks from 0 in steps of 1, 2, 5, 10, 20..., at most four labels
    (with no attempts at all, 0 and 1; never "1, 0, 0, 0, 0" from fractions shown as %d)."""
    top = max(maximum, 1)
    steps = (base * 10**power for power in range(12) for base in (1, 2, 5))  # 1, 2, 5, 10, 20, 50...
    step = next(step for step in steps if -(-top // step) <= MAX_COUNT_STEPS)  # ceiling division
    ticks = -(-top // step)
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setRange(0, step * ticks)
    axis.setTickCount(ticks + 1)
    return axis


class _ChartView(QChartView):
    """A chart view with a reusable chart: `clear()` drops the old series and axes before refilling."""

    def __init__(self, parent: QWidget | None = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        super().__init__(chart, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)

    def clear(self, title: str) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
            axis.deleteLater()
        chart.setTitle(title)
        return chart


class TrendChart(_ChartView):
    """Attempts per week as bars (left axis), contact rate and CSAT as lines in percent (right axis)."""

    weekClicked = Signal(int)

    def show_weeks(self, weeks: Sequence[WeekFigures], labels: dict[str, str], empty: str) -> None:
        chart = self.clear("" if any(w.totals.attempts for w in weeks) else empty)
        if not weeks:
            return
        attempts = QBarSet(labels["attempts"])
        attempts.setColor(QColor(GREY))
        attempts.append([float(w.totals.attempts) for w in weeks])
        attempts.clicked.connect(self.weekClicked)
        bars = QBarSeries()
        bars.append(attempts)
        chart.addSeries(bars)
        categories = QBarCategoryAxis()
        categories.append([f"{w.period.start:%m-%d}" for w in weeks])
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        bars.attachAxis(categories)
        counts = count_axis(max(w.totals.attempts for w in weeks))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(counts)
        percent = QValueAxis()
        percent.setRange(0, 100)
        percent.setLabelFormat("%d%%")
        chart.addAxis(percent, Qt.AlignmentFlag.AlignRight)
        for key, colour in (("contact_rate", BLUE), ("csat_pct", ORANGE)):
            line = QLineSeries()
            line.setName(labels[key])
            line.setPen(QPen(QColor(colour), 2.5))
            line.setPointsVisible(True)
            for index, week in enumerate(weeks):
                value = getattr(week.totals, key)
                if value is not None:  # a week without answers has no point, rather than a false 0
                    line.append(float(index), float(value))
            chart.addSeries(line)
            line.attachAxis(categories)
            line.attachAxis(percent)


class TopicChart(_ChartView):
    """Mentions and complaints per topic, the most mentioned on top."""

    topicClicked = Signal(str)

    def show_topics(self, topics: Sequence[TopicCount], labels: dict[str, str], empty: str) -> None:
        chart = self.clear("" if topics else empty)
        self._topics = [t.topic for t in reversed(topics)]  # a horizontal bar chart draws its first category lowest
        if not topics:
            return
        series = QHorizontalBarSeries()
        for name, colour, values in (
            (labels["mentions"], BLUE, [t.count for t in reversed(topics)]),
            (labels["complaints"], RED, [t.complaints for t in reversed(topics)]),
        ):
            bar_set = QBarSet(name)
            bar_set.setColor(QColor(colour))
            bar_set.append([float(value) for value in values])
            bar_set.clicked.connect(self._clicked)
            series.append(bar_set)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.setTruncateLabels(False)  # topic names are short; "…" in their place says nothing
        # QtCharts leaves out every other label once they overlap: at 1024×700 three of six topics had
        # none. A smaller font and the legend beside the chart give each bar its label.
        font = names.labelsFont()
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        names.setLabelsFont(font)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        names.append(self._topics)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        counts = count_axis(max(t.count for t in topics))
        chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(counts)

    def _clicked(self, index: int) -> None:
        if 0 <= index < len(self._topics):
            self.topicClicked.emit(self._topics[index])


class CategoryChart(_ChartView):
    """Feedback categories as a doughnut; a slice per category with its count."""

    categoryClicked = Signal(str)

    def show_categories(self, counts: dict[str, int], names: dict[str, str], empty: str) -> None:
        chart = self.clear("" if any(counts.values()) else empty)
        if not any(counts.values()):
            return
        series = QPieSeries()
        series.setHoleSize(0.45)
        for code, count in counts.items():
            if count == 0:
                continue
            piece = QPieSlice(f"{names[code]} {count:,}", float(count))
            piece.setColor(QColor(CATEGORY_COLOURS.get(code, GREY)))
            piece.clicked.connect(lambda code=code: self.categoryClicked.emit(code))
            series.append(piece)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        chart.legend().hide()
