"""Excel writers for tables and reports; built in the feedback/exports issue."""
