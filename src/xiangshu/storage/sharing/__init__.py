"""Sharing and exchange in the metadata store: grants, exchange records, requests."""
