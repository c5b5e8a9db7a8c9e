"""compare.html: places side by side (Shenzhen, Shanghai, Zhejiang, Guizhou first).

The cases are read one paper at a time; comparing them is what a student wants to
do next. One column per place, one row per kind of thing: its stages (its path),
reforms, agencies and agency changes, policy documents, platforms and systems,
apps, and its influences (stated and inferred). Every cell lists the records with
links to their pages; on a phone the table scrolls inside its own box.
"""

from __future__ import annotations

from pathlib import Path

from kg.site.html import entity_href, esc, link, page, write
from kg.site.model import Entity, SiteModel

FIRST = ["shenzhen", "shanghai", "zhejiang", "guizhou"]
ROWS: list[tuple[str, object]] = [
    ("Stages (path)", lambda e: e.type == "Stage"),
    ("Reforms and initiatives", lambda e: e.family == "reform"),
    ("Agencies and agency changes", lambda e: e.type in ("Agency", "Government") or e.family == "change"),
    ("Policy documents", lambda e: e.family == "document"),
    ("Platforms and systems", lambda e: e.family == "technology" and e.type not in ("MobileApp", "Technology", "KeyTechnology")),
    ("Apps", lambda e: e.type == "MobileApp"),
    ("Technologies", lambda e: e.type in ("Technology", "KeyTechnology")),
    ("Challenges", lambda e: e.family == "challenge"),
]
MAX_ITEMS = 25


def compare_places(model: SiteModel) -> list[str]:
    """The four cases of the issue first (those in the graph), then any other place with a stage or 5+ records."""
    counts: dict[str, int] = {}
    for e in model.entities.values():
        for p in e.places:
            counts[p] = counts.get(p, 0) + 1
    first = [p for p in FIRST if p in model.entities]
    rest = sorted((p for p, n in counts.items() if p not in first and n >= 5 and model.entities[p].family == "place"),
                  key=lambda p: -counts[p])
    return first + rest[:2]


def _cell(ents: list[Entity]) -> str:
    if not ents:
        return '<td class="muted">none recorded</td>'
    items = "".join(f"<li>{link(entity_href('', e.id), e.label)}"
                    f"{f' <span class=muted>({esc(e.when())})</span>' if e.when() else ''}</li>" for e in ents[:MAX_ITEMS])
    more = f"<li class=muted>and {len(ents) - MAX_ITEMS} more</li>" if len(ents) > MAX_ITEMS else ""
    return f"<td><ul>{items}{more}</ul></td>"


def write_compare(out: Path, model: SiteModel) -> None:
    places = compare_places(model)
    mine = {p: [e for e in model.entities.values() if p in e.places and e.id != p and not e.hidden] for p in places}
    head = "".join(f"<th scope=col>{link(entity_href('', p), model.entities[p].label)}</th>" for p in places)
    rows = []
    for title, test in ROWS:
        cells = "".join(_cell(sorted((e for e in mine[p] if test(e)),  # type: ignore[operator]
                                     key=lambda e: (e.earliest or 9999, e.stage_number or 0, e.label.casefold())))
                        for p in places)
        rows.append(f"<tr><th scope=row>{esc(title)}</th>{cells}</tr>")
    inf_cells = []
    for p in places:
        ids = {e.id for e in mine[p]}
        infs = [i for i in model.influences if i.source in ids or i.target in ids]
        stated = sum(i.basis == "stated" for i in infs)
        items = "".join(f"<li>{esc(model.entities[i.source].label)} <em>{link(entity_href('', i.id), i.kind)}</em> "
                        f"{esc(model.entities[i.target].label)}{'' if i.basis == 'stated' else ' (inferred)'}</li>"
                        for i in infs[:MAX_ITEMS])
        inf_cells.append(f"<td><p>{len(infs)} ({stated} stated, {len(infs) - stated} inferred)</p><ul>{items}</ul></td>")
    rows.append(f"<tr><th scope=row>Influences</th>{''.join(inf_cells)}</tr>")
    body = ("<h1>Places side by side</h1><p>What the sources record for each place: its stages, reforms, agencies, "
            "documents, platforms, apps and the influences between them. A place's districts count for it.</p>"
            f'<div class="scroll"><table id="compare" class="compare"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>")
    write(out / "compare.html", page("Compare places", body, active="compare.html", wide=False))
