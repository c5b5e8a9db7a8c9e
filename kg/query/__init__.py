"""Stage 3, query: the query library (queries/*.rq), safe parameter binding, output
formats and the sources' tables regenerated from the graph.

Public API: `load_library`, `find_query`, `run_query` (kg.query.library), `render` (kg.query.output).
"""
