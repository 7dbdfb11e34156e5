"""The Customers page: who the wallet's customers are and how they transact."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence

from peewee import Database

from wallet_crm.db.browse import CustomerQuery, CustomerRow, customer_ids, customer_rows
from wallet_crm.formatting import format_time, mask_phone
from wallet_crm.money import format_totals
from wallet_crm.ui.customer_timeline import CustomerTimeline
from wallet_crm.ui.export_dialog import interface_language
from wallet_crm.ui.labels import status_labels
from wallet_crm.ui.paged_model import Column
from wallet_crm.ui.pages.records import RecordsPage
from wallet_crm.ui.session import Session


class CustomersPage(RecordsPage[CustomerRow]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, ("last_at", True))
        self.period.setToolTip(self.tr("Only customers with a transaction in this period"))
        self.timeline = CustomerTimeline(session, interface_language())
        self.add_side_panel(self.timeline)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: (
                self.timeline.show_customer(self.model.row_id(current.row())) if current.isValid() else None
            )
        )

    def show_customer(self, customer_id: int, external_id: str | None) -> None:
        """Reached from the queue: find the customer and open their timeline."""
        self.search.setText(external_id or "")
        self.timeline.show_customer(customer_id)

    def page_title(self) -> str:
        return self.tr("Customers")

    def search_hint(self) -> str:
        return self.tr("Search name, customer ID or phone")

    def status_choices(self) -> Mapping[str, str]:
        template = self.tr("With a %1 transaction")
        return {code: template.replace("%1", name) for code, name in status_labels().items()}

    def load_rows(self, ids: Sequence[int]) -> Mapping[int, CustomerRow]:
        return customer_rows(self.session.db, ids)

    def make_columns(self) -> Sequence[Column[CustomerRow]]:
        return [
            Column("external_id", self.tr("Customer ID"), lambda r: r.external_id or ""),
            Column("name", self.tr("Name"), lambda r: r.name or ""),
            Column("phone", self.tr("Phone"), lambda r: mask_phone(r.phone)),
            Column("transactions", self.tr("Transactions"), lambda r: f"{r.transactions:,}", align_right=True),
            Column(
                "success_fen",
                self.tr("Successful amount"),
                lambda r: format_totals(r.success_fen, r.other_totals),
                align_right=True,
            ),
            Column("first_at", self.tr("First transaction"), lambda r: format_time(r.first_at)),
            Column("last_at", self.tr("Last transaction"), lambda r: format_time(r.last_at)),
        ]

    def current_query(self) -> CustomerQuery:
        date_from, date_to = self.date_range()
        return CustomerQuery(
            search=self.search.text(),
            date_from=date_from,
            date_to=date_to,
            status=self.status.currentData(),
            sort_key=self.sort_key,
            descending=self.descending,
        )

    def export_file_stem(self) -> str:
        return self.tr("customers")

    def export_kind(self) -> str:
        return "customers"

    def query_ids(self) -> Callable[[Database], array[int]]:
        query = self.current_query()
        return lambda db: customer_ids(db, query)
