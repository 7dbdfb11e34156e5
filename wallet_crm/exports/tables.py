"""Exports of what a table page shows: the same filter, the same order, every matching row.

Headers and code words follow the interface language; the Chinese transaction headers are the ones
the importer recognises, so an exported file imports back with the same transactions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from peewee import Database

from wallet_crm.db.browse import (
    CustomerQuery,
    TransactionQuery,
    customer_ids,
    customer_rows,
    transaction_ids,
)
from wallet_crm.exports import export_language
from wallet_crm.exports.workbook import ExportColumn, ExportResult, Progress, write_table_file
from wallet_crm.formatting import mask_phone, mask_phones_in_text
from wallet_crm.money import format_minor

CHUNK = 2000

STATUS_WORDS = {
    "zh_CN": {"success": "成功", "failed": "失败", "pending": "处理中", "refunded": "已退款", "closed": "交易关闭"},
    "en": {"success": "success", "failed": "failed", "pending": "pending", "refunded": "refunded", "closed": "closed"},
}
TYPE_WORDS = {
    "zh_CN": {
        "payment": "消费", "transfer": "转账", "top_up": "充值", "withdrawal": "提现", "refund": "退款",
        "other": "其他",
    },
    "en": {
        "payment": "payment", "transfer": "transfer", "top_up": "top_up", "withdrawal": "withdrawal",
        "refund": "refund", "other": "other",
    },
}  # fmt: skip
DIRECTION_WORDS = {
    "zh_CN": {"in": "收入", "out": "支出", "none": "不计收支"},
    "en": {"in": "in", "out": "out", "none": "none"},
}
TRANSACTION_HEADERS = {
    "zh_CN": (
        "交易流水号",
        "交易时间",
        "客户号",
        "客户姓名",
        "手机号码",
        "交易类型",
        "交易状态",
        "交易金额",
        "币种",
        "收/支",
        "渠道",
        "商户",
        "备注",
    ),
    "en": (
        "Transaction ID",
        "Date",
        "Customer ID",
        "Name",
        "Phone",
        "Type",
        "Status",
        "Amount",
        "Currency",
        "Direction",
        "Channel",
        "Merchant",
        "Remark",
    ),
}
CUSTOMER_HEADERS = {
    "zh_CN": (
        "客户号",
        "客户姓名",
        "手机号码",
        "交易笔数",
        "成功交易额(人民币)",
        "其他币种成功交易额",
        "首次交易",
        "最近交易",
    ),
    "en": (
        "Customer ID",
        "Name",
        "Phone",
        "Transactions",
        "Successful amount (CNY)",
        "Successful amount, other currencies",
        "First transaction",
        "Last transaction",
    ),
}
SHEET_NAMES = {"zh_CN": ("交易", "客户"), "en": ("Transactions", "Customers")}


def export_phone(phone: str | None, full_phone: bool) -> str:
    """The national number in full (the file is for this team's people), or masked like 138****8000."""
    if not phone:
        return ""
    if full_phone:
        return phone[3:] if phone.startswith("+86") else phone
    return mask_phone(phone)


def _placeholders(db: Database, count: int) -> str:
    """`?, ?, ?` (or `%s, ...`) for an `IN` list of `count` values."""
    return ", ".join([db.param] * count)


def customer_fields(db: Database, customer_ids: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
    """(wallet id, full phone) per customer, for rows that carry only the customer's database id."""
    if not customer_ids:
        return {}
    marks = _placeholders(db, len(customer_ids))
    rows = db.execute_sql(f"SELECT id, external_id, phone FROM customers WHERE id IN ({marks})", tuple(customer_ids))
    return {int(r[0]): (r[1], r[2]) for r in rows}


def _transaction_tuples(db: Database, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The exported columns of `ids` and of their customers, keyed by id, as plain cursor tuples: one query
    a chunk, without the page's row objects or a query builder walking every id (most of the reading time)."""
    marks = _placeholders(db, len(ids))
    cursor = db.execute_sql(
        "SELECT t.id, t.txn_id, t.occurred_at, c.external_id, c.name, c.phone, t.txn_type, t.type_word, t.status,"
        " t.amount_fen, t.currency, t.direction, t.channel, t.merchant, t.remark"
        f" FROM transactions t JOIN customers c ON c.id = t.customer_id WHERE t.id IN ({marks})",
        tuple(ids),
    )
    return {row[0]: row for row in cursor}


def _transaction_values(db: Database, ids: Sequence[int], language: str, full_phone: bool) -> Iterator[tuple[Any, ...]]:
    statuses, types, directions = STATUS_WORDS[language], TYPE_WORDS[language], DIRECTION_WORDS[language]
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = _transaction_tuples(db, chunk)
        for txn_id in chunk:
            (_, txn, occurred_at, external_id, name, phone, txn_type, type_word, status, amount_fen, currency,
             direction, channel, merchant, remark) = rows[int(txn_id)]  # fmt: skip
            yield (
                txn, occurred_at, external_id, name, export_phone(phone, full_phone),
                type_word or types.get(txn_type, txn_type), statuses.get(status, status), (amount_fen, currency),
                currency, directions.get(direction or "", ""), channel, merchant,
                remark if full_phone else mask_phones_in_text(remark),
            )  # fmt: skip


def export_transactions(
    db: Database,
    path: Path,
    query: TransactionQuery,
    language: str = "zh_CN",
    full_phone: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Every transaction in `db` matching `query`, in its order, to one sheet."""
    language = export_language(language)
    ids = transaction_ids(db, query)
    kinds = (
        "text",
        "datetime",
        "text",
        "text",
        "text",
        "text",
        "text",
        "amount",
        "text",
        "text",
        "text",
        "text",
        "text",
    )
    columns = [ExportColumn(h, k) for h, k in zip(TRANSACTION_HEADERS[language], kinds, strict=True)]  # type: ignore[arg-type]
    rows = _transaction_values(db, ids, language, full_phone)
    return write_table_file(path, SHEET_NAMES[language][0], columns, rows, len(ids), progress, cancel)


def _customer_values(db: Database, ids: Sequence[int], full_phone: bool) -> Iterator[tuple[Any, ...]]:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = customer_rows(db, chunk)
        for customer_id in chunk:
            r = rows[int(customer_id)]
            phone = export_phone(r.phone, full_phone)
            others = "; ".join(format_minor(total, code) for code, total in r.other_totals)
            yield (r.external_id, r.name, phone, r.transactions, r.success_fen, others, r.first_at, r.last_at)


def export_customers(
    db: Database,
    path: Path,
    query: CustomerQuery,
    language: str = "zh_CN",
    full_phone: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ExportResult:
    """Every customer in `db` matching `query`, with their transaction figures."""
    language = export_language(language)
    ids = customer_ids(db, query)
    kinds = ("text", "text", "text", "int", "money", "text", "datetime", "datetime")
    columns = [ExportColumn(h, k) for h, k in zip(CUSTOMER_HEADERS[language], kinds, strict=True)]  # type: ignore[arg-type]
    rows = _customer_values(db, ids, full_phone)
    return write_table_file(path, SHEET_NAMES[language][1], columns, rows, len(ids), progress, cancel)
