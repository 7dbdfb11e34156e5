"""wallet-crm: offline follow-up (回访) CRM for small digital-wallet operators."""

__version__ = "0.1.0"
APP_NAME = "wallet-crm"
