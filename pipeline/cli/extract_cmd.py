"""Placeholder: filled in by its owner (see docs/ARCHITECTURE.md)."""

from pipeline.cli.app import app  # noqa: F401
