"""Words, dates and the provenance record a report shows its reader (yqplan.report.present)."""

from __future__ import annotations

from yqplan.report import present


def test_verdict_words_and_dates_in_both_languages():
    assert present.verdict_word("met") == "达标" and present.verdict_word("met", "en") == "met"
    assert present.verdict_word("behind schedule") == "滞后于序时进度"
    assert present.verdict_word("something new") == "something new"
    assert present.format_date("2025-12-31") == "2025年12月31日"
    assert present.format_date("2025-12-31", "en") == "31 Dec 2025"
    row = {"status_verdict": "not met", "latest_year": 2025.0, "final": True}
    assert present.verdict_text(row) == "2025年：未达标（终期）"
    assert present.verdict_text(row, "en") == "2025: not met (final)"


def test_provenance_record_merges_reader_metadata():
    rec = present.provenance_record({"source": "air store X", "synthetic": True, "kind": "cities"},
                                    {"path": "w", "synthetic": False}, edition="2012",
                                    data_as_of="2025-12-31 23:00", sources=["plan Table 1"])
    assert rec["sources"] == ["plan Table 1", "air store X (cities) [synthetic]", "w"]
    assert rec["synthetic"] is True and rec["edition"] == "2012"
    assert rec["data_as_of"].startswith("2025-12-31T23:00")


def test_target_text_never_says_no_target_for_not_below_baseline():
    # Indicator 6 (不低于现状, the plan prints "-" for 2020): the plan sets a target, the
    # level is unknown — "no target supplied" would be wrong.  Indicator 1: province-assigned.
    nan = float("nan")
    six = {"target_value": nan, "comparator": "", "target_kind": "not_below_baseline"}
    one = {"target_value": nan, "comparator": "", "target_kind": "province_assigned"}
    three = {"target_value": 0.9, "comparator": "<=", "target_kind": "value"}
    assert present.target_text(six) == "不低于现状（无2020年基准值）"
    assert present.target_text(six, "en") == "not below the 2020 level (no 2020 value)"
    assert present.target_text(one) == "未提供目标值"
    assert present.target_text(three) == "<= 0.9"
