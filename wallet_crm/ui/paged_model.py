"""A table model over a large result, loading rows a page at a time.

The model holds only the ordered ids of the matching rows (8 bytes each) and a small cache of
pages. `data()` for a row not in the cache fetches its whole page through the `load_rows` callback,
one indexed lookup by id, so the view scrolls a million rows without holding them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
MAX_CACHED_PAGES = 40


@dataclass(frozen=True)
class Column(Generic[RowT]):
    """One column: the sort key the service knows, its header, and how a row shows in it."""

    key: str
    header: str
    display: Callable[[RowT], str]
    align_right: bool = False
    tooltip: Callable[[RowT], str] | None = None


class PagedTableModel(QAbstractTableModel, Generic[RowT]):
    """Rows are `ids`; cells come from `load_rows(ids_of_one_page)`. Sorting is asked of the owner."""

    sortRequested = Signal(str, bool)

    def __init__(
        self,
        columns: Sequence[Column[RowT]],
        load_rows: Callable[[Sequence[int]], Mapping[int, RowT]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.load_rows = load_rows
        self._ids: Sequence[int] = ()
        self._pages: OrderedDict[int, Mapping[int, RowT]] = OrderedDict()

    # --- data the owner sets -------------------------------------------------
    def set_ids(self, ids: Sequence[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Forget cached pages (the rows changed in the database) and repaint."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))

    def row_id(self, row: int) -> int:
        return int(self._ids[row])

    def row_at(self, row: int) -> RowT | None:
        if not 0 <= row < len(self._ids):
            return None
        page_number = row // PAGE_SIZE
        page = self._pages.get(page_number)
        if page is None:
            start = page_number * PAGE_SIZE
            page = self.load_rows(self._ids[start : start + PAGE_SIZE])
            self._pages[page_number] = page
            while len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_number)
        return page.get(int(self._ids[row]))

    # --- QAbstractTableModel ---------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            row = self.row_at(index.row())
            return "" if row is None else column.display(row)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            row = self.row_at(index.row())
            return None if row is None else column.tooltip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header if 0 <= section < len(self.columns) else None
        return section + 1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            self.sortRequested.emit(self.columns[column].key, order == Qt.SortOrder.DescendingOrder)
