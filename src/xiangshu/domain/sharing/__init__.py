"""Sharing and exchange between departments (S03): requests, grants, exchange, error reports.

Pure rules only: what a request must state, how it moves, when a grant holds, how
webhook retries back off, how fresh a resource is. The actions apply them.
"""
