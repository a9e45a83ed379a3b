"""The per-report time table ``yqplan report`` prints at the end of a run."""

from __future__ import annotations

from yqplan.cli.report import timing_table


def test_timing_table_lists_each_report_slowest_first_with_its_parts():
    results = [
        {"name": "00_plan", "status": "ok", "duration_s": 2.0, "kernel_overhead_s": 1.5},
        {"name": "10_pm25", "status": "ok", "duration_s": 6.0, "kernel_overhead_s": 2.0},
        {"name": "20_water", "status": "failed", "duration_s": 2.0, "kernel_overhead_s": None},
    ]
    text = timing_table(results, {"validate_s": 0.5, "prepare_data_s": 1.0})
    lines = text.splitlines()
    assert lines[0].split() == ["report", "status", "wall", "s", "cells", "s", "other", "s",
                                "share"]
    # slowest first; cells = wall − other; share of the summed 10 s
    assert lines[1].split() == ["10_pm25", "ok", "6.0", "4.0", "2.0", "60", "%"]
    assert lines[2].split() == ["00_plan", "ok", "2.0", "0.5", "1.5", "20", "%"]
    assert lines[3].split() == ["20_water", "failed", "2.0", "–", "–", "20", "%"]
    assert lines[4].split() == ["summed", "10.0"]
    assert lines[5] == "phases: validate 0.5 s, prepare_data 1.0 s"


def test_timing_table_without_reports_or_phases():
    lines = timing_table([]).splitlines()
    assert len(lines) == 2 and lines[1].split() == ["summed", "0.0"]
