"""Stage 4, site: the offline student site (network views, timelines, entity, query and
ontology pages, playground). Public API: `build_site` from kg.site.build.
"""
