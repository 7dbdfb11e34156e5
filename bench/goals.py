"""Every benchmark's goals, collected so `python -m bench` can end with one table of them.

A benchmark calls `record(...)` for each goal it measured (and still prints its own line); the
runner prints `summary()` after the last benchmark. A goal the run could not measure (a size skipped,
a peer missing) is simply not recorded: the table shows only what was measured.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    bench: str
    goal: str  # what the issue asks, e.g. "peer time / ours >= 1.5"
    measured: str  # the figure as the reader should see it, e.g. "1.43"
    met: bool


_recorded: list[Goal] = []


def record(bench: str, goal: str, measured: str, met: bool) -> None:
    """Keep one goal's outcome for the summary and print it as this benchmark's own goal line."""
    _recorded.append(Goal(bench, goal, measured, met))
    print(f"goal: {goal}: {measured}, {'met' if met else 'MISSED'}")


def recorded() -> list[Goal]:
    return list(_recorded)


def summary() -> str:
    """The table of every goal recorded in this run, or a line saying there were none."""
    if not _recorded:
        return "no goals were measured in this run"
    widths = [max(len(text) for text in column) for column in zip(*_rows(), strict=True)]
    lines = ["  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip() for row in _rows()]
    lines.insert(1, "  ".join("-" * width for width in widths))
    met = sum(goal.met for goal in _recorded)
    lines.append(f"{met} of {len(_recorded)} goals met")
    return "\n".join(lines)


def _rows() -> list[tuple[str, str, str, str]]:
    return [("benchmark", "goal", "measured", "met")] + [
        (goal.bench, goal.goal, goal.measured, "yes" if goal.met else "NO") for goal in _recorded
    ]
