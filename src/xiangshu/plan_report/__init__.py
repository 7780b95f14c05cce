"""Presenting a plan's evaluation: SVG charts, Open SDG-style exports, and the
evaluation report in Chinese (HTML, DOCX, and PDF where the machine can)."""
