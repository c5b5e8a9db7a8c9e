"""Stage 5, the `egovkg` command: a thin layer over the library API of the stages above.
"""
