"""Prefect flows around the plain ``pipeline`` library: ``ingest`` (batch, incremental) and ``nightly`` (the served deployment)."""
