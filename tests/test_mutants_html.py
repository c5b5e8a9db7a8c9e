"""The site's escaping and layout helpers (kg.site.html), pinned to exact markup written by hand.

These are what every page is built from, so a slip here (a dropped `esc`, a `quote=False`, a missing
`\\u003c` in script JSON) would be an injection on every page; the mutation run (docs/testing.md) found
them reached only through whole-site builds that check a handful of strings.
"""

from __future__ import annotations

from pathlib import Path

from kg.site.html import (
    NAV,
    entity_href,
    esc,
    family_legend,
    json_block,
    kind_badge,
    link,
    page,
    script_json,
    shape_icon,
    shorten,
    write,
)
from kg.site.model import Family


def test_esc_escapes_markup_and_both_quote_kinds():
    assert esc("<a href=\"x\">Tom & 'Jerry'</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/a&gt;"
    assert esc(2009) == "2009"


def test_shorten_keeps_short_text_and_cuts_long_text_to_n_characters():
    assert shorten("abcdef", 6) == "abcdef"
    assert shorten("abcdefg", 6) == "abcde…"
    assert shorten("abcd efgh", 6) == "abcd…"  # no space before the ellipsis


def test_script_json_cannot_close_its_script_element():
    assert script_json({"a": "</script><!--&\u2028\u2029é"}) == \
        '{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029é"}'
    assert json_block('x"y', [1, "<"]) == '<script type="application/json" id="x&quot;y">[1,"\\u003c"]</script>'


def test_links_escape_ids_classes_and_text():
    assert entity_href("../", 'a<b"') == "../entities/a&lt;b&quot;.html"
    assert link("x.html", "<b>", 'c"d') == '<a href="x.html" class="c&quot;d">&lt;b&gt;</a>'
    assert link("x.html", "t") == '<a href="x.html">t</a>'
    assert kind_badge('so"cial', "<x>") == '<span class="kind so&quot;cial">&lt;x&gt;</span>'


def test_page_escapes_its_title_and_script_names_and_marks_the_active_link():
    html = page("a<b", "<p>body</p>", root="../", active="views.html", wide=True, head="<meta name=x>",
                scripts=["x&.js", "y.js"])
    assert html.startswith('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">')
    assert '<title>a&lt;b · egov-kg</title><link rel="stylesheet" href="../assets/site.css"><meta name=x></head>' in html
    assert ('<nav class="top"><a class="brand" href="../index.html">egov-kg</a><a href="../index.html">Home</a>'
            '<a href="../graph/all.html">Whole graph</a>') in html
    assert '<a href="../views.html" class=active>Places &amp; stages</a>' in html
    assert html.count(" class=active") == 1 and html.count("<a ") == len(NAV) + 1  # the brand and the bar
    assert html.endswith('<main class=wide><p>body</p></main><script src="../x&amp;.js"></script>'
                             '<script src="../y.js"></script></body></html>\n')
    plain = page("t", "b")
    assert '<main>b</main></body></html>\n' in plain and " class=active" not in plain and "<script" not in plain
    assert '<a href="search.html">Search</a>' in plain
    assert '<link rel="stylesheet" href="assets/site.css"></head>' in plain  # nothing extra in the head


def test_legend_icons_use_the_family_shape_and_escaped_colour():
    box = Family("place", "place <i>", "box", '#999"', frozenset())
    assert shape_icon(box) == ('<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="#999&quot;" '
                               'stroke="#555" stroke-width=".6"><rect x="1" y="3" width="14" height="10" rx="2"/></svg>')
    unknown = Family("x", "x", "no-such-shape", "#000", frozenset())
    assert '<circle cx="8" cy="8" r="6"/>' in shape_icon(unknown)  # falls back to a dot
    legend = family_legend({"place", "stage"})
    assert legend.count("<li>") == 2 and "place</li><li>" in legend and legend.endswith("stage</li>")
    assert family_legend().count("<li>") > 2


def test_write_creates_folders_and_writes_utf8(tmp_path: Path):
    target = tmp_path / "a" / "b" / "p.html"
    write(target, "深圳 <p>")
    assert target.read_bytes() == "深圳 <p>".encode()
    write(target.with_name("q.html"), "second page, same folder")  # the folder exists now: no error
    assert target.with_name("q.html").read_text(encoding="utf-8") == "second page, same folder"
