"""Which column holds which field: the fields we know, their header synonyms, and checking a mapping.

Real exports name the same thing many ways (交易单号, 订单号, Transaction ID...). Headers are compared
after normalising: case, spaces, a unit in brackets (`金额(元)`) and a trailing colon don't count.
A mapping is a plain dict `field name -> column index` (0-based, in the rows as read).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wallet_crm.errors import KnownError

ColumnMapping = dict[str, int]


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # how messages and the wizard name it
    synonyms: tuple[str, ...]


FIELDS: tuple[Field, ...] = (
    Field(
        "txn_id",
        "transaction id",
        (
            "交易流水号",
            "交易单号",
            "交易号",
            "交易订单号",
            "订单号",
            "订单编号",
            "流水号",
            "业务流水号",
            "transactionid",
            "txnid",
            "transactionno",
            "orderid",
            "orderno",
        ),
    ),
    Field(
        "occurred_at",
        "time",
        (
            "交易时间",
            "交易创建时间",
            "创建时间",
            "付款时间",
            "支付时间",
            "交易日期",
            "时间",
            "日期",
            "date",
            "time",
            "datetime",
            "transactiontime",
            "transactiondate",
            "createdat",
            "createtime",
        ),
    ),
    Field(
        "customer_id",
        "customer id",
        (
            "客户编号",
            "客户id",
            "客户号",
            "用户id",
            "用户编号",
            "用户号",
            "会员号",
            "会员编号",
            "会员id",
            "账户id",
            "账户号",
            "账号",
            "钱包账号",
            "customerid",
            "customerno",
            "accountid",
            "accountno",
            "userid",
        ),
    ),
    Field("name", "name", ("用户姓名", "客户姓名", "客户名称", "姓名", "户名", "name", "customername", "username")),
    Field(
        "phone",
        "phone",
        ("手机号码", "手机号", "手机", "联系电话", "电话", "联系方式", "phone", "mobile", "phonenumber", "mobilephone"),
    ),
    Field("amount", "amount", ("交易金额", "金额", "订单金额", "支付金额", "amount", "transactionamount", "amt")),
    Field(
        "status",
        "status",
        ("交易状态", "支付状态", "订单状态", "当前状态", "状态", "status", "transactionstatus", "paymentstatus"),
    ),
    Field(
        "txn_type",
        "type",
        ("交易类型", "业务类型", "类型", "交易分类", "type", "transactiontype", "txntype"),
    ),
    Field(
        "channel",
        "channel",
        ("支付渠道", "渠道", "支付方式", "付款方式", "资金渠道", "channel", "paymentmethod", "paymentchannel"),
    ),
    Field(
        "merchant",
        "merchant",
        ("商户名称", "商户", "商家", "商户名", "收款方", "交易对方", "merchant", "merchantname", "counterparty"),
    ),
    Field(
        "remark",
        "remark",
        ("备注", "说明", "附言", "描述", "remark", "remarks", "note", "notes", "memo", "comment"),
    ),
)
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
REQUIRED_FIELDS = ("txn_id", "occurred_at", "amount", "status", "txn_type")
CUSTOMER_FIELDS = ("customer_id", "phone")  # at least one of them

_SYNONYMS: dict[str, tuple[str, int]] = {
    synonym: (field.name, rank) for field in FIELDS for rank, synonym in enumerate(field.synonyms)
}
_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_IGNORED = re.compile(r"[\s_\-:：/.*#'\"]+")


def normalise_header(text: object) -> str:
    """A header cell as compared with the synonyms: `交易金额（元）` and `交易金额` are the same."""
    if text is None:
        return ""
    cleaned = str(text).replace("\ufeff", "").strip().lower()
    cleaned = _BRACKETED.sub("", cleaned)
    return _IGNORED.sub("", cleaned)


def field_for_header(text: object) -> str | None:
    match = _SYNONYMS.get(normalise_header(text))
    return match[0] if match else None


def detect_mapping(headers: Sequence[object]) -> ColumnMapping:
    """The best column for each field we recognise; a field named twice goes to its best synonym, then leftmost."""
    best: dict[str, tuple[int, int]] = {}
    for column, header in enumerate(headers):
        match = _SYNONYMS.get(normalise_header(header))
        if match is None:
            continue
        field, rank = match
        if field not in best or rank < best[field][0]:
            best[field] = (rank, column)
    return {field: column for field, (_, column) in best.items()}


def missing_fields(mapping: Mapping[str, int]) -> list[str]:
    """Fields an import can't do without, as labels; empty when the mapping is usable."""
    missing = [FIELDS_BY_NAME[name].label for name in REQUIRED_FIELDS if name not in mapping]
    if not any(name in mapping for name in CUSTOMER_FIELDS):
        missing.append("customer id or phone")
    return missing


def check_mapping(mapping: Mapping[str, int], width: int, where: str) -> ColumnMapping:
    """A user-given mapping, checked: known fields, columns that exist, no column used twice, nothing missing."""
    unknown = sorted(set(mapping) - set(FIELDS_BY_NAME))
    if unknown:
        raise KnownError(f"{where}: unknown field(s) in the column mapping: {', '.join(unknown)}.")
    outside = [f"{name}={column}" for name, column in mapping.items() if not 0 <= column < width]
    if outside:
        raise KnownError(f"{where}: the mapping names columns the header row does not have ({', '.join(outside)}).")
    columns = list(mapping.values())
    if len(set(columns)) != len(columns):
        raise KnownError(f"{where}: the mapping uses one column for two fields.")
    missing = missing_fields(mapping)
    if missing:
        raise KnownError(f"{where}: no column for {', '.join(missing)}.")
    return dict(mapping)
