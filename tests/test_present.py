"""Words, dates and the provenance record a report shows its reader (yqplan.present)."""

from __future__ import annotations

from yqplan import present


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
