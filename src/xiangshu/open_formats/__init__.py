"""Open datasets in the formats other tools read: DCAT-AP 3 (RDF) and Frictionless Data
Package. Built from the portal's dataset shapes; no web, no storage."""
