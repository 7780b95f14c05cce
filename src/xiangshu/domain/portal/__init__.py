"""Pure rules of the open-data portal (S06): freshness, quality checklist, the portal's
self-score, CKAN query parsing, SQL statement checks, highlighting, the Hunan map."""
