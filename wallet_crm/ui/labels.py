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


def reason_labels() -> dict[str, str]:
    """The import's reasons for rejecting a cell, as the interface language says them."""
    return {
        "missing": QCoreApplication.translate("Reasons", "missing"),
        "not an id": QCoreApplication.translate("Reasons", "not an id"),
        "not an id (a number with decimals)": QCoreApplication.translate(
            "Reasons", "not an id (a number with decimals)"
        ),
        "the id was saved as a number and lost digits; format the column as text": QCoreApplication.translate(
            "Reasons", "the id was saved as a number and lost digits; format the column as text"
        ),
        "not a customer id": QCoreApplication.translate("Reasons", "not a customer id"),
        "not a customer id (a number with decimals)": QCoreApplication.translate(
            "Reasons", "not a customer id (a number with decimals)"
        ),
        "not an amount of money": QCoreApplication.translate("Reasons", "not an amount of money"),
        "amount too large": QCoreApplication.translate("Reasons", "amount too large"),
        "more than 2 decimals": QCoreApplication.translate("Reasons", "more than 2 decimals"),
        "not a date": QCoreApplication.translate("Reasons", "not a date"),
        "not a phone number": QCoreApplication.translate("Reasons", "not a phone number"),
        "unknown status": QCoreApplication.translate("Reasons", "unknown status"),
        "unknown transaction type": QCoreApplication.translate("Reasons", "unknown transaction type"),
        "missing: the row names no customer (no customer id or phone)": QCoreApplication.translate(
            "Reasons", "missing: the row names no customer (no customer id or phone)"
        ),
    }


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label for `code`, or the code itself when it is new to this version."""
    return mapping.get(code or "", code or "")
