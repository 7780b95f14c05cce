"""Routers of the web edge."""
