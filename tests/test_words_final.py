"""The final assessment (yqplan.plan) and its Word writer (yqplan.report.word) take every word
from the catalogue yqplan.report.words: no module there chooses its language in code."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from yqplan.report import words

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted((ROOT / "yqplan" / "plan").glob("*.py")) + [ROOT / "yqplan" / "report" / "word.py"]
LANGUAGE_NAMES = {"zh", "en"}


def language_branches(source: str) -> list[tuple[int, str]]:
    """(line, what) of every place that chooses a language in code: a comparison with the
    string "zh" / "en" (``language == "zh"``), or a conditional (``… if zh else …``,
    ``if zh:``) whose test is a bare name ``zh`` / ``en``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) and o.value in LANGUAGE_NAMES for o in operands):
                found.append((node.lineno, "comparison with a language code"))
        elif isinstance(node, (ast.IfExp, ast.If)):
            if isinstance(node.test, ast.Name) and node.test.id in LANGUAGE_NAMES:
                found.append((node.lineno, f"conditional on the name {node.test.id!r}"))
    return sorted(found)


def test_the_check_finds_every_kind_of_language_branch():
    """The scan can fail: each kind of branch in a made-up module is found, and code that only
    passes the language on is not."""
    bad = textwrap.dedent('''
        def f(language, r):
            zh = language == "zh"
            a = "甲" if zh else "A"
            if zh:
                return a
            if "en" != language:
                return r["name_zh"]
            return a
    ''')
    assert [line for line, _ in language_branches(bad)] == [3, 4, 5, 7]
    good = textwrap.dedent('''
        def f(language, r):
            return word("final.col.no", language), r["name_" + language]
    ''')
    assert language_branches(good) == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_language_branches_in_plan_modules_and_the_word_writer(path):
    found = language_branches(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} chooses its language in code: {found}"


def test_the_scan_covers_the_modules_that_had_branches():
    names = {p.name for p in FILES}
    assert {"final.py", "ledger.py", "targets.py", "word.py"} <= names


def test_final_and_docx_keys_have_both_languages_and_the_sections_come_from_them():
    from yqplan.plan import final

    keys = [k for k in words.WORDS if k.startswith(("final.", "docx."))]
    assert len(keys) > 60
    for key in keys:
        zh, en = words.WORDS[key]
        assert zh.strip() and en.strip(), key
    assert final.SECTIONS[0] == ("summary", "一、总体结论", "1. Summary")
    assert [s[0] for s in final.SECTIONS] == ["summary", "indicators", "text_targets", "ledger", "unknown"]
    for key, zh, en in final.SECTIONS:
        assert words.WORDS[f"final.section.{key}"] == (zh, en)


def test_sentences_are_filled_from_the_catalogue():
    """Templates filled by hand give the sentences the report shows (figures from a
    made-up assessment: 23 indicators, 3 met, 1 not met …)."""
    assert words.word("final.method.interim", "zh", year=2025, latest=2023) == \
        "无2025年值：以2023年值比较（中期，非终期结论）"
    assert words.word("final.method.interim", "en", year=2025, latest=2023) == \
        "no 2025 value: the 2023 value compared (interim, not final)"
    assert words.word("final.sufficiency", "zh", have=1, n=6) == "1/6 年有值"
    assert words.word("final.text_verdict", "en", year=2024, final="interim", status="met") == \
        "interim (2024): met"
    assert words.word("final.value_year", "zh", value="49", year=2020) == "49（2020）"
    assert words.word("final.value_year", "en", value="49", year=2020) == "49 (2020)"


def test_final_word_uses_the_catalogue_and_refuses_other_languages():
    from yqplan.plan import final

    assert final.word("completed", "zh") == "已完工" and final.word("completed", "en") == "completed"
    assert final.word("level", "en") == "level to reach"
    with pytest.raises(ValueError, match="language"):
        final.word("completed", "fr")
