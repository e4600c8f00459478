"""REST API (FastAPI): thin shell over the services; OpenAPI at /docs."""
