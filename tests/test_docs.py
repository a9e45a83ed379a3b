"""Every citation of a note in ``docs/`` resolves; nothing cites files outside the repository.

The citation syntax (docs/README.md): ``docs/<path>.md`` optionally followed by
``§<section>`` (and ``, §<section>`` …), where a section is the number that opens a
heading of the cited note (``## 3.2 Rounding`` → ``§3.2``).  The scan covers the
package, tests, benchmarks, notebooks, data folders, the notes themselves, the README
and the packaging files.  This file is left out of the scan: it holds crafted bad
citations to prove that the checker catches them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Folders scanned (recursively) and single files scanned, relative to the root.
SCAN_DIRS = ("yqplan", "tests", "bench", "notebooks", "data", "docs")
SCAN_FILES = ("README.md", "pyproject.toml", "environment.yml", "Makefile")
#: Text files worth reading; larger files are data, not prose.
SUFFIXES = {".py", ".md", ".ipynb", ".csv", ".toml", ".yml", ".yaml", ".txt", ".json", ".cfg"}
MAX_BYTES = 2_000_000
SKIP_PARTS = {".venv", "__pycache__", ".ipynb_checkpoints", ".git"}

_SECTION = r"\d+(?:\.\d+)*"
#: ``docs/<path>.md`` not preceded by a path or URL character, then optional sections.
CITATION = re.compile(
    r"(?<![\w/.-])docs/((?:[\w-]+/)*[\w.-]+?\.md)"
    r"((?:[`*)\]]*\s*(?:,\s*)?§\s*" + _SECTION + r")*)")
_SECTION_NUMBER = re.compile(r"§\s*(" + _SECTION + r")")
_HEADING = re.compile(r"^#{1,6}\s+(" + _SECTION + r")\.?(?:\s|$)", re.MULTILINE)

#: Citations of the reference files that live outside the repository.  Built from parts
#: so that the words do not appear whole in this file.
OUTSIDE = re.compile("|".join([
    r"standards" + r"\.md",
    r"\bstandards" + r" §",
    r"data" + r"_formats",
    r"official" + r"_figures\.md",
    r"shared" + r"/reference",
]))


def section_headings(markdown: str) -> set[str]:
    """Section numbers that open a heading of a note (``## 4.2 Rounding`` → ``"4.2"``)."""
    return set(_HEADING.findall(markdown))


def find_citations(text: str) -> list[tuple[int, str, list[str]]]:
    """``(line, "docs/<path>.md", [sections])`` for every citation in ``text``."""
    out = []
    for m in CITATION.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append((line, "docs/" + m.group(1), _SECTION_NUMBER.findall(m.group(2))))
    return out


def check_citations(label: str, text: str, root: Path, _cache: dict | None = None) -> list[str]:
    """Problems with the citations in ``text`` (from file ``label``), resolved under ``root``."""
    cache = {} if _cache is None else _cache
    problems = []
    for line, path, sections in find_citations(text):
        if path not in cache:
            target = root / path
            cache[path] = (section_headings(target.read_text(encoding="utf-8"))
                           if target.is_file() else None)
        heads = cache[path]
        if heads is None:
            problems.append(f"{label}:{line}: cites {path}, which does not exist")
            continue
        for s in sections:
            if s not in heads:
                problems.append(f"{label}:{line}: cites {path} §{s}, which is not a heading there "
                                f"(headings: {', '.join(sorted(heads)) or 'none numbered'})")
    return problems


def find_outside_citations(label: str, text: str) -> list[str]:
    """Lines of ``text`` that cite the reference files outside the repository."""
    return [f"{label}:{text.count(chr(10), 0, m.start()) + 1}: cites {m.group(0)!r} "
            "(outside the repository; cite the note in docs/ instead)"
            for m in OUTSIDE.finditer(text)]


def scanned_files(root: Path = ROOT):
    """``(label, text)`` of every file the checks read."""
    me = Path(__file__).resolve()
    paths = [root / f for f in SCAN_FILES if (root / f).is_file()]
    for d in SCAN_DIRS:
        if (root / d).is_dir():
            paths += sorted(p for p in (root / d).rglob("*") if p.is_file())
    for p in paths:
        rel = p.relative_to(root)
        if (p.resolve() == me or SKIP_PARTS & set(rel.parts) or p.suffix not in SUFFIXES
                and p.name not in SCAN_FILES):
            continue
        if p.stat().st_size > MAX_BYTES:
            continue
        yield rel.as_posix(), p.read_bytes().decode("utf-8", errors="replace")


# ------------------------------------------------------------------ the repository

def test_every_docs_citation_resolves():
    cache: dict = {}
    problems, n = [], 0
    for label, text in scanned_files():
        n += len(find_citations(text))
        problems += check_citations(label, text, ROOT, cache)
    assert n >= 30, f"only {n} citations found: is the scan reading the files?"
    assert problems == []


def test_nothing_cites_files_outside_the_repository():
    problems = []
    for label, text in scanned_files():
        problems += find_outside_citations(label, text)
    assert problems == []


def test_every_note_is_in_the_index():
    index = (ROOT / "docs" / "README.md").read_text(encoding="utf-8")
    cited = {path for _, path, _ in find_citations(index)}
    notes = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md")
             if p.name != "README.md"}
    missing = sorted(notes - cited)
    assert missing == [], f"add one line for each to docs/README.md: {missing}"


def test_the_notes_cite_the_standards_clauses():
    # every standards note names the standard and cites at least a few of its clauses
    for name, standard in [("hj633-aqi", "HJ 633"), ("gb3095-validity", "GB 3095"),
                           ("hj663-annual", "HJ 663"), ("gb3838-water", "GB 3838")]:
        text = (ROOT / "docs" / "standards" / f"{name}.md").read_text(encoding="utf-8")
        assert standard in text
        assert len(re.findall(r"§|Table \d|Appendix [A-Z]", text)) >= 3, name


# ------------------------------------------------------------------ the checker itself

_NOTE = """# A note

## 1 First

### 1.2 Sub-section

## 2. Second, numbered with a dot

## Unnumbered
"""


@pytest.fixture
def fake_root(tmp_path):
    (tmp_path / "docs" / "standards").mkdir(parents=True)
    (tmp_path / "docs" / "standards" / "note.md").write_text(_NOTE, encoding="utf-8")
    return tmp_path


def test_headings_are_read():
    assert section_headings(_NOTE) == {"1", "1.2", "2"}


@pytest.mark.parametrize("text", [
    "see docs/standards/note.md",
    "(docs/standards/note.md §1.2).",
    "``docs/standards/note.md`` §2, §1",
    "[docs/standards/note.md](docs/standards/note.md) § 1",
    "    24:00 (17 windows, docs/standards/note.md §1.2), all inside",
    "https://example.org/docs/missing.md is a URL, not a citation",
])
def test_good_citations_pass(fake_root, text):
    assert check_citations("x.py", text, fake_root) == []


@pytest.mark.parametrize("text, expected", [
    ("see docs/standards/nope.md §1", "x.py:1: cites docs/standards/nope.md, which does not exist"),
    ("line one\n(docs/standards/note.md §3)",
     "x.py:2: cites docs/standards/note.md §3, which is not"),
    ("docs/standards/note.md §1, §1.3", "x.py:1: cites docs/standards/note.md §1.3, which is not"),
    ("``docs/standards/note.md`` §2.1.", "x.py:1: cites docs/standards/note.md §2.1, which is not"),
    ("docs/note.md", "x.py:1: cites docs/note.md, which does not exist"),
])
def test_a_dangling_citation_fails(fake_root, text, expected):
    problems = check_citations("x.py", text, fake_root)
    assert len(problems) == 1 and problems[0].startswith(expected), problems


@pytest.mark.parametrize("text, n", [
    ("rounding (standards" + ".md §2)", 1),
    ("quirks (data" + "_formats §1)", 1),
    ("class (standards" + " §8)", 1),
    ("figures from ../shared" + "/reference/official" + "_figures.md", 2),
    ("docs/standards/hj633-aqi.md §1 and plan.read_official_figures()", 0),
])
def test_outside_citations_are_found(text, n):
    assert len(find_outside_citations("x.py", text)) == n
