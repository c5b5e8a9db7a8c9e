"""`python -m kg` is the same as the `egovkg` command."""

from kg.cli.main import main

main()
