"""A small read-only table model over a Python list, for short lists (previews, errors, history).

Big tables use `PagedTableModel`; this one is for a few thousand rows at most, already in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex


class ListTableModel(QAbstractTableModel, Generic[T]):
    def __init__(
        self,
        headers: Sequence[str],
        cell: Callable[[T, int], str],
        parent: Any = None,
        right_aligned: Sequence[int] = (),
    ) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.cell = cell
        self.right_aligned = frozenset(right_aligned)  # columns of numbers
        self.items: list[T] = []

    def set_items(self, items: Sequence[T], headers: Sequence[str] | None = None) -> None:
        self.beginResetModel()
        self.items = list(items)
        if headers is not None:
            self.headers = list(headers)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() and index.column() in self.right_aligned:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        if not (0 <= index.row() < len(self.items) and 0 <= index.column() < len(self.headers)):
            return None
        return self.cell(self.items[index.row()], index.column())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1
