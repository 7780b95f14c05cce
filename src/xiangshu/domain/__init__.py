"""Pure rules and calculations: no web, SQL or engine code (checked by import-linter)."""
