"""`egovkg new-city`: start a city file that already follows the data format.

The file it writes is deliberately incomplete (TODO source and quote): running
`egovkg validate` next lists exactly what the analyst must fill in, file:line.
"""

from __future__ import annotations

from pathlib import Path

from kg import fileio
from kg.build.validate import ID_RX
from kg.errors import UsageError

TEMPLATE = """# {label}: curated from TODO (add the source to data/sources.yaml and the seeds folder).
# Run `egovkg validate` after each edit; it names file, line, field and the fix.
records:
- id: {id}
  type: City
  label: {label}
  within: {within}
  source:
    doc: TODO-source-file.txt
    section: "TODO"
    quote: "TODO: a short verbatim quote that names {label}"
- id: {id}-stage-1
  type: Stage
  label: "Stage 1: TODO name the stage as the source does"
  start: "TODO-YYYY"
  stage_number: 1
  stage_of: {id}
  source:
    doc: TODO-source-file.txt
    section: "TODO"
    quote: "TODO: the sentence that dates the stage"
"""


def new_city(city_id: str, label: str, within: str, data_dir: Path) -> Path:
    """Write data/<city_id>.yaml from the template; never overwrite."""
    if not ID_RX.match(city_id):
        raise UsageError(f"'{city_id}' is not a valid id", "use lowercase letters, digits and hyphens, e.g. hangzhou")
    path = Path(data_dir) / f"{city_id}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists", "choose another id or edit that file")
    fileio.write_text(path, TEMPLATE.format(id=city_id, label=label, within=within))
    return path
