"""The Transactions page: every imported transaction, searchable and filterable."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence

from peewee import Database
from PySide6.QtWidgets import QComboBox

from wallet_crm.db.browse import TransactionQuery, TransactionRow, transaction_ids, transaction_rows
from wallet_crm.formatting import format_time, mask_phone
from wallet_crm.money import format_minor, signed_minor
from wallet_crm.ui.labels import label, status_labels, type_labels
from wallet_crm.ui.paged_model import Column
from wallet_crm.ui.pages.records import RecordsPage
from wallet_crm.ui.session import Session


class TransactionsPage(RecordsPage[TransactionRow]):
    def __init__(self, session: Session) -> None:
        super().__init__(session, ("occurred_at", True))

    def page_title(self) -> str:
        return self.tr("Transactions")

    def search_hint(self) -> str:
        return self.tr("Search transaction ID, name, customer ID or phone")

    def status_choices(self) -> Mapping[str, str]:
        return status_labels()

    def load_rows(self, ids: Sequence[int]) -> Mapping[int, TransactionRow]:
        return transaction_rows(self.session.db, ids)

    def make_columns(self) -> Sequence[Column[TransactionRow]]:
        statuses, types = status_labels(), type_labels()
        return [
            Column("occurred_at", self.tr("Time"), lambda r: format_time(r.occurred_at)),
            Column("txn_id", self.tr("Transaction ID"), lambda r: r.txn_id),
            Column("customer_name", self.tr("Customer"), lambda r: r.customer_name or ""),
            Column("phone", self.tr("Phone"), lambda r: mask_phone(r.phone)),
            Column("txn_type", self.tr("Type"), lambda r: label(types, r.txn_type)),
            Column("status", self.tr("Status"), lambda r: label(statuses, r.status)),
            Column(
                "amount_fen",
                self.tr("Amount"),
                lambda r: format_minor(signed_minor(r.amount_fen, r.direction), r.currency),
                align_right=True,
            ),
            Column("channel", self.tr("Channel"), lambda r: r.channel or ""),
            Column("merchant", self.tr("Merchant"), lambda r: r.merchant or ""),
            Column("remark", self.tr("Remark"), lambda r: r.remark or ""),
        ]

    def extra_filters(self) -> None:
        self.txn_type = QComboBox()
        self.txn_type.setAccessibleName(self.tr("Type"))
        self.txn_type.addItem(self.tr("All types"), None)
        for code, name in type_labels().items():
            self.txn_type.addItem(name, code)
        self.txn_type.currentIndexChanged.connect(self.reload)
        self.filters.addWidget(self.txn_type)

    def current_query(self) -> TransactionQuery:
        date_from, date_to = self.date_range()
        return TransactionQuery(
            search=self.search.text(),
            date_from=date_from,
            date_to=date_to,
            status=self.status.currentData(),
            txn_type=self.txn_type.currentData(),
            sort_key=self.sort_key,
            descending=self.descending,
        )

    def export_file_stem(self) -> str:
        return self.tr("transactions")

    def export_kind(self) -> str:
        return "transactions"

    def query_ids(self) -> Callable[[Database], array[int]]:
        query = self.current_query()
        return lambda db: transaction_ids(db, query)
