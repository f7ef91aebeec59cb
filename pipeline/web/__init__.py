"""The read-only web explorer (``kehoach serve``): search, documents with their facts in
place, implementation trees, deadlines, the graph, runs and reports.

``pipeline.web.app`` holds the routes; the page data comes from ``queries``, ``trees``,
``schedule`` and ``graphview``; ``highlight`` marks facts in a text; ``files`` decides
which originals may be served.
"""
