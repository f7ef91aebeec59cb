"""The pipeline's version: part of the incremental-skip key, so bump it when extraction changes."""

PIPELINE_VERSION = "0.1.0"
