"""Stage 1, build: read data/*.yaml, validate structure, load RDF with provenance, SHACL, HermiT.

Public API: `build(Config) -> (BuildReport, Dataset)` and `validate(Config)` from kg.build.pipeline.
"""
