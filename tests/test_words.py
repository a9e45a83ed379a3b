"""The word catalogue (yqplan.report.words): every key in both languages, every key used exists,
and the notebooks hold no reader-facing words of their own."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from yqplan.report import words

ROOT = Path(__file__).resolve().parents[1]
CODE = sorted((ROOT / "yqplan").rglob("*.py")) + sorted((ROOT / "notebooks").glob("[0-9]*.py"))
# the library calls ``words.word("key", …)`` (``final.word`` is another function); notebooks
# import ``word`` itself
WORD_CALL = re.compile(r"""(?<![\w.])words\.word\(\s*["']([^"'{}]+)["']""")
NOTEBOOK_WORD_CALL = re.compile(r"""(?<![\w.])(?:words\.)?word\(\s*["']([^"'{}]+)["']""")
LABEL_CALL = re.compile(r"""plots\.label\(\s*["']([^"']+)["']|(?<![\w.])label\(\s*["']([^"']+)["']""")
CJK = re.compile(r"[\u3400-\u9fff]")


def _fields(template: str) -> set[str]:
    return {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}


@pytest.mark.parametrize("key", sorted(words.WORDS))
def test_every_key_has_both_languages_with_the_same_fields(key):
    pair = words.WORDS[key]
    assert isinstance(pair, tuple) and len(pair) == 2, key
    zh, en = pair
    assert isinstance(zh, str) and isinstance(en, str)
    assert zh.strip() and en.strip(), f"{key}: an empty word"
    assert _fields(zh) ^ _fields(en) == words.ONE_LANGUAGE_FIELDS.get(key, set()), \
        f"{key}: the two languages fill different fields"


def test_one_language_fields_are_declared_for_keys_that_exist():
    assert set(words.ONE_LANGUAGE_FIELDS) <= set(words.WORDS)


def test_keys_are_dotted_and_the_catalogue_is_not_trivial():
    assert len(words.WORDS) > 100
    for key in words.WORDS:
        assert re.fullmatch(r"[a-z]+(\.[\w ]+)+", key), key


def test_every_key_used_in_code_and_notebooks_exists():
    used = {}
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        pattern = NOTEBOOK_WORD_CALL if path.parent.name == "notebooks" else WORD_CALL
        for m in pattern.finditer(text):
            used.setdefault(m.group(1), path.name)
        for m in LABEL_CALL.finditer(text):
            used.setdefault("label." + (m.group(1) or m.group(2)), path.name)
    assert len(used) > 50, "the scan found (almost) no word() calls: is the pattern broken?"
    missing = {k: where for k, where in used.items() if k not in words.WORDS}
    assert not missing, f"keys used but not in the catalogue: {missing}"


def test_the_scan_finds_a_missing_key(tmp_path):
    """The scan above can fail: a call with an unknown key is seen and reported."""
    text = 'fig = plot(title=word("title.no_such_thing", language, city=city))\n'
    found = [m.group(1) for m in NOTEBOOK_WORD_CALL.finditer(text)]
    assert found == ["title.no_such_thing"] and found[0] not in words.WORDS
    with pytest.raises(KeyError, match="title.no_such_thing"):
        words.word("title.no_such_thing", "zh")


def test_word_fills_fields_and_checks_the_language():
    assert words.word("title.daily_aqi", "zh", city="阳泉", year=2024) == "阳泉 2024年逐日AQI"
    assert words.word("title.daily_aqi", "en", city="Yangquan", year=2024) == "Yangquan: daily AQI, 2024"
    with pytest.raises(ValueError, match="language"):
        words.word("title.daily_aqi", "fr", city="x", year=1)


def test_aqi_level_words_are_the_standards_names():
    """HJ 633—2012 Table 2 level names stay data of the standard in aqi.AQI_CLASSES; the
    display words equal them (a translation changed in one place only would fail here)."""
    from yqplan.air import aqi

    assert [words.word(f"aqi.level.{c[1]}", "zh") for c in aqi.AQI_CLASSES] == \
        ["优", "良", "轻度污染", "中度污染", "重度污染", "严重污染"]
    assert [(words.word(f"aqi.level.{c[1]}", "zh"), words.word(f"aqi.level.{c[1]}", "en"))
            for c in aqi.AQI_CLASSES] == [(c[2], c[3]) for c in aqi.AQI_CLASSES]


def test_former_word_tables_read_from_the_catalogue():
    from yqplan.plan import final
    from yqplan.report import plots, present

    assert present.TEXT["zh"]["index_title"] == words.word("text.index_title", "zh") == "报告目录"
    assert present.verdict_word("behind schedule", "zh") == "滞后于序时进度"
    assert plots.label("with_dust", "en") == words.word("label.with_dust", "en") == "Dust days included"
    assert final.word("milestone", "zh") == "节点目标"


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("[0-9]*.py")), ids=lambda p: p.stem)
def test_notebooks_choose_no_chinese_words_in_code(path):
    """No ``"中文" if zh else "English"`` left in a notebook: its words come from the catalogue."""
    import jupytext

    for cell in jupytext.read(str(path)).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.IfExp):
                literal = " ".join(ast.unparse(b) for b in (node.body, node.orelse)
                                   if isinstance(b, (ast.Constant, ast.JoinedStr)))
                assert not CJK.search(literal), f"{path.name}: {ast.unparse(node)}"


@pytest.mark.parametrize("module", ["plots", "plots_air", "maps"])
def test_figure_modules_choose_no_chinese_words_in_code(module):
    """The figure modules take their words from the catalogue: no ``"中文" if language == "zh"
    else "English"`` left (month and weekday names built from numbers aside)."""
    tree = ast.parse((ROOT / "yqplan" / "report" / f"{module}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.IfExp):
            branches = [b for b in (node.body, node.orelse) if isinstance(b, (ast.Constant, ast.JoinedStr))]
            literal = " ".join(ast.unparse(b) for b in branches)
            if CJK.search(literal) and literal.strip("f'\"") not in ("{m}月",):
                pytest.fail(f"{module}.py: {ast.unparse(node)}")
