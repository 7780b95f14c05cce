"""The CKAN Action API (``/api/3/action/<name>``) that existing clients speak."""
