"""The web edge: FastAPI app factory, JSON API, portal pages, static assets."""
