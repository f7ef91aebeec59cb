"""The pipeline's version: part of the incremental-skip key, so bump it when extraction changes."""

PIPELINE_VERSION = "0.2.0"  # 0.2.0: layout, text-layer quality, structure zones, issue-13 fields
