"""Translated names for the codes stored in the database (statuses, transaction types, directions)
and for the import's fields."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def status_labels() -> dict[str, str]:
    return {
        "success": QCoreApplication.translate("Labels", "Succeeded"),
        "failed": QCoreApplication.translate("Labels", "Failed"),
        "pending": QCoreApplication.translate("Labels", "Pending"),
        "refunded": QCoreApplication.translate("Labels", "Refunded"),
        "closed": QCoreApplication.translate("Labels", "Closed"),
    }


def type_labels() -> dict[str, str]:
    return {
        "payment": QCoreApplication.translate("Labels", "Payment"),
        "transfer": QCoreApplication.translate("Labels", "Transfer"),
        "top_up": QCoreApplication.translate("Labels", "Top-up"),
        "withdrawal": QCoreApplication.translate("Labels", "Withdrawal"),
        "refund": QCoreApplication.translate("Labels", "Refund"),
        "other": QCoreApplication.translate("Labels", "Other"),
    }


def direction_labels() -> dict[str, str]:
    return {
        "in": QCoreApplication.translate("Labels", "Money in"),
        "out": QCoreApplication.translate("Labels", "Money out"),
        "none": QCoreApplication.translate("Labels", "No money moved"),
    }


def field_labels() -> dict[str, str]:
    """The import fields a file column can feed, in `imports.format.FIELD_NAMES` order."""
    return {
        "txn_id": QCoreApplication.translate("Labels", "Transaction ID"),
        "refund_id": QCoreApplication.translate("Labels", "Refund ID"),
        "occurred_at": QCoreApplication.translate("Labels", "Date and time"),
        "occurred_time": QCoreApplication.translate("Labels", "Time of day"),
        "timezone": QCoreApplication.translate("Labels", "Time zone"),
        "customer_id": QCoreApplication.translate("Labels", "Customer ID"),
        "phone": QCoreApplication.translate("Labels", "Phone"),
        "platform_user": QCoreApplication.translate("Labels", "Platform user ID"),
        "email": QCoreApplication.translate("Labels", "Email"),
        "counterparty": QCoreApplication.translate("Labels", "Counterparty"),
        "name": QCoreApplication.translate("Labels", "Name"),
        "amount": QCoreApplication.translate("Labels", "Amount"),
        "amount_in": QCoreApplication.translate("Labels", "Amount in"),
        "amount_out": QCoreApplication.translate("Labels", "Amount out"),
        "direction": QCoreApplication.translate("Labels", "Direction (in/out)"),
        "currency": QCoreApplication.translate("Labels", "Currency"),
        "status": QCoreApplication.translate("Labels", "Status"),
        "txn_type": QCoreApplication.translate("Labels", "Type"),
        "channel": QCoreApplication.translate("Labels", "Channel"),
        "merchant": QCoreApplication.translate("Labels", "Merchant"),
        "remark": QCoreApplication.translate("Labels", "Remark"),
    }


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label for `code`, or the code itself when it is new to this version."""
    return mapping.get(code or "", code or "")
