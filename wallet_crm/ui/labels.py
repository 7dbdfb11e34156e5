"""Translated names for the codes stored in the database (statuses, transaction types)."""

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
    }


def field_labels() -> dict[str, str]:
    """The import fields a file column can feed."""
    return {
        "txn_id": QCoreApplication.translate("Labels", "Transaction ID"),
        "occurred_at": QCoreApplication.translate("Labels", "Time"),
        "customer_id": QCoreApplication.translate("Labels", "Customer ID"),
        "name": QCoreApplication.translate("Labels", "Name"),
        "phone": QCoreApplication.translate("Labels", "Phone"),
        "amount": QCoreApplication.translate("Labels", "Amount"),
        "status": QCoreApplication.translate("Labels", "Status"),
        "txn_type": QCoreApplication.translate("Labels", "Type"),
        "channel": QCoreApplication.translate("Labels", "Channel"),
        "merchant": QCoreApplication.translate("Labels", "Merchant"),
        "remark": QCoreApplication.translate("Labels", "Remark"),
    }


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label for `code`, or the code itself when it is new to this version."""
    return mapping.get(code or "", code or "")
