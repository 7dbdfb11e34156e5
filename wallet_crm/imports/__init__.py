"""Reading transaction exports (xlsx/xls/csv) into the database; built in the import issue."""
