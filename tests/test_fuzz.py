"""Fuzzing the front door: mangled data files never crash the validator.

Every mutation of a valid file must end in either success or a ValidationError
whose problems each name a file (and usually a line) — never a traceback.
Seeded, so a failure is reproducible.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from kg.build.pipeline import validate
from kg.config import Config
from kg.errors import ValidationError

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
PIECES = [": ", "- ", "[", "]", "{", "\"", "'", "\t", "  ", "\n", "id: shenzhen", "2009-99-99", "null", "&a", "*a",
          "!!python/object:os.system", "\"\\0\"", "\"\\ud800\"", ".inf", ".nan", "-1", "[" * 40, "<<: *a",
          "\"x\\n\"", "x" * 700, "../../etc/passwd"]


def mutate(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["delete", "duplicate", "insert", "swap", "truncate"])
        i = rng.randrange(len(lines))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + rng.choice(PIECES) + lines[i][pos:]
        elif op == "swap":
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", range(120))
def test_mutated_file_gives_located_problems_or_passes(seed: int, tmp_path: Path):
    rng = random.Random(seed)
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text((MINI / "sources.yaml").read_text())
    (data / "mini.yaml").write_text(mutate((MINI / "mini.yaml").read_text(), rng))
    cfg = replace(Config.at(ROOT), data=data, reason=False)
    try:
        validate(cfg)
    except ValidationError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file and ("mini.yaml" in p.file or "sources.yaml" in p.file or p.file == "data/"), p
            assert p.message
            assert "\n" not in str(p) and len(str(p)) < 600, p  # one short line, whatever the input


def test_wrong_value_types_are_each_reported(tmp_path: Path):
    """The bad-input corpus file: lists, mappings and numbers where other types belong."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text((MINI / "sources.yaml").read_text())
    (data / "wrong-types.yaml").write_text((Path(__file__).parent / "fixtures" / "bad" / "wrong-types.yaml").read_text())
    with pytest.raises(ValidationError) as info:
        validate(replace(Config.at(ROOT), data=data, reason=False))
    text = "\n".join(str(p) for p in info.value.problems)
    for fragment in ["wrong-types.yaml:21: record must be a mapping", "field 'type': type must be a class name",
                     "field 'within': takes exactly one id", "field 'mode': '{'a': 'b'}' is not allowed",
                     "field 'stage_number': expected a whole number", "field 'value': expected a number",
                     "year 1899 is outside 1900-2100", "quote must be text", "is not a number or id",
                     "[dangling] record has no 'type'", "[dangling] record has no 'source'"]:
        assert fragment in text, f"{fragment!r} not in\n{text}"
