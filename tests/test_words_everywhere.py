"""One catalogue of words (issue 14): no module or notebook chooses its words by language in code.

Every reader-facing word, label and sentence template lives in :data:`yqplan.report.words.WORDS`
with both languages; code builds sentences with :func:`yqplan.report.words.word`.  This test
scans the source: a comparison of a name with ``"zh"`` / ``"en"`` or a branch on a variable
named ``zh`` is a word chosen in code.
"""

from __future__ import annotations

import ast
import fnmatch
from pathlib import Path

import yqplan

PACKAGE = Path(yqplan.__file__).parent
ROOT = PACKAGE.parent

#: covered by tests/test_words_final.py (another task moves their words at the same time)
EXEMPT = {"yqplan/plan/*.py", "yqplan/report/word.py"}
#: the catalogue itself picks a language
CATALOGUE = {"yqplan/report/words.py"}


def _sources():
    for path in sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in CATALOGUE or any(fnmatch.fnmatch(rel, pattern) for pattern in EXEMPT):
            continue
        yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _is_language(node):
    return isinstance(node, ast.Constant) and node.value in ("zh", "en")


def _is_name(node):
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call))


def _language_choices(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(_is_language(o) for o in operands) and any(_is_name(o) for o in operands):
                yield node.lineno, "compares a name with a language"
        elif isinstance(node, (ast.If, ast.IfExp)):
            for sub in ast.walk(node.test):
                if isinstance(sub, ast.Name) and sub.id == "zh":
                    yield node.lineno, "branches on `zh`"
                    break


def test_no_module_or_notebook_chooses_its_words_by_language():
    found = [f"{rel}:{line} {what}" for rel, tree in _sources()
             for line, what in _language_choices(tree)]
    assert not found, "take the words from yqplan.report.words.word: \n" + "\n".join(found)


def test_the_scan_finds_what_it_refuses():
    # the scanner itself: each refused form is found, a plain use of the language is not
    bad = ast.parse('x = "a" if zh else "b"\nif language == "zh":\n    pass\n'
                    'y = "en" != lang\nif zh and x:\n    pass\n')
    assert sorted(line for line, _ in _language_choices(bad)) == [1, 2, 4, 5]
    good = ast.parse('s = word("k", language)\nlangs = ("zh", "en")\nif language in LANGUAGES:\n    pass\n')
    assert list(_language_choices(good)) == []

