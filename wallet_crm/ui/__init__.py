"""The Qt face of wallet-crm: windows, pages, table models and background workers. Only here is Qt."""
