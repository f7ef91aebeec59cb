"""kehoach: Vietnamese plans and the directives they carry out, as tables and a graph.

Stages (docs/ARCHITECTURE.md): read → structure → extract → resolve → store → graph.
"""
