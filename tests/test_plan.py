"""The plan's tables as data: counts, values checked by hand against the plan text, the
reconciliation, province targets, and refusal of corrupted copies of every table.

Expected values are typed from the plan text (the quoted wording is in each comment),
not taken from the code under test.
"""

from __future__ import annotations

import csv
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from yqplan import config
from yqplan.plan import tables as plan
from yqplan.errors import DataFileError

PLAN_TEXT = config.shared_data_dir().parent / "plan" / "yangquan_14th_fyp_eco_plan.txt"


@pytest.fixture(scope="module")
def ind():
    return plan.read_indicators().set_index("indicator_id")


@pytest.fixture(scope="module")
def proj():
    return plan.read_projects().set_index("project_id")


@pytest.fixture(scope="module")
def targets():
    return plan.read_text_targets()


# ---------------------------------------------------------------------------
# counts


def test_indicator_counts(ind):
    # "“十四五”期间共设置生态环境保护重点指标 19 项" (ch. 2 §4); item 10 has five sub-items
    assert len(ind) == 23
    assert ind["item_no"].nunique() == 19
    assert list(ind.index[ind["item_no"] == 10]) == ["10.1", "10.2", "10.3", "10.4", "10.5"]
    # 约束性 items: 1-5, 10, 11-13, 14, 15, 18, 19 = 13 items; 预期性: 6-9, 16, 17 = 6 items
    per_item = ind.drop_duplicates("item_no").set_index("item_no")["attribute"]
    assert (per_item == "binding").sum() == 13 and (per_item == "expected").sum() == 6
    # ten items print “完成省下达指标”: 1, 2, 8, 10 (five sub-items), 11, 12, 13, 16, 17, 19 = 14 rows
    assert (ind["target_kind"] == "province_assigned").sum() == 14
    assert set(ind.index[ind["target_kind"] == "province_assigned"]) == {
        "1", "2", "8", "10.1", "10.2", "10.3", "10.4", "10.5", "11", "12", "13", "16", "17", "19"}


def test_project_counts(proj):
    counts = proj.groupby("table").size().to_dict()
    # rows printed: Table 13-1 numbers 1…19, 25, 21…32 (32 rows); 13-2 1…23; 13-3 1…4
    assert counts == {"13-1": 32, "13-2": 23, "13-3": 4}
    assert list(proj.loc[proj["table"] == "13-1", "position"]) == list(range(1, 33))
    assert proj.loc["13-1#20", "printed_no"] == "25"
    assert proj.loc["13-1#25", "printed_no"] == "25"


def test_other_table_counts(targets):
    assert len(targets) == 41
    assert set(targets["chapter"]) <= set(range(3, 13))
    assert len(plan.read_results_13th()) == 27
    assert len(plan.read_province_targets()) == 0   # empty as shipped
    assert len(plan.read_stated_totals()) == 4


# ---------------------------------------------------------------------------
# values checked by hand against the plan text


@pytest.mark.parametrize("iid, baseline, kind, target, comparator, direction", [
    # "全市细颗粒物(PM2.5) 浓度(μg/m ³)	49	完成省下 达指标	约束性"
    ("1", 49, "province_assigned", None, None, "lower"),
    # "全市空气质量优良天数比率(%)	68.6	完成省下 达指标	约束性"
    ("2", 68.6, "province_assigned", None, None, "higher"),
    # "重污染天数比例(%)	0.8197	0.9	约束性"  (a ceiling above the 2020 value)
    ("3", 0.8197, "value", 0.9, "<=", "lower"),
    # "地表水质量达到或优于 III 类水体比例(%)	100	80	约束性"  (a floor below the 2020 value)
    ("4", 100, "value", 80, ">=", "higher"),
    # "地表水质量劣 V 类水体比例 (%)	0	0	约束性"
    ("5", 0, "value", 0, "<=", "lower"),
    # "全市集中式饮用水源达到或优于Ⅲ类比例 (%)	-	不低于现状	预期性"
    ("6", None, "not_below_baseline", None, ">=", "higher"),
    # "地下水质量 V 类水比例 (%)	21.4	完成省下达指标	预期性"
    ("8", 21.4, "province_assigned", None, None, "lower"),
    # "农村生活污水治理率 (%)	15	42.9	预期性"
    ("9", 15, "value", 42.9, ">=", "higher"),
    # "VOCs 排放量减少比例 (%)	-" under item 10 "完成省下达指标	约束性"
    ("10.5", None, "province_assigned", None, None, "higher"),
    # "受污染耕地安全利用率 (%)	100	100	约束性"
    ("14", 100, "value", 100, ">=", "higher"),
    # "森林覆盖率 (%)	22.31	25.87	约束性"
    ("18", 22.31, "value", 25.87, ">=", "higher"),
    # "生态保护红线占国土面积比例 (%)	25.96	完成省下达指标	约束性"
    ("19", 25.96, "province_assigned", None, None, "higher"),
])
def test_indicator_values(ind, iid, baseline, kind, target, comparator, direction):
    row = ind.loc[iid]
    if baseline is None:
        assert math.isnan(row["baseline_2020"]) and row["baseline_text"] == "-"
    else:
        assert row["baseline_2020"] == pytest.approx(baseline)
    assert row["target_kind"] == kind
    if target is None:
        assert math.isnan(row["target_value"])
    else:
        assert row["target_value"] == pytest.approx(target)
    assert (None if pd.isna(row["comparator"]) else row["comparator"]) == comparator
    assert row["direction"] == direction


def test_indicator_attributes_and_units(ind):
    # "地下水质量 V 类水比例 (%) … 预期性"; "农村生活污水治理率 (%) … 预期性"
    assert ind.loc["8", "attribute"] == "expected" and ind.loc["9", "attribute"] == "expected"
    # "放射源辐射事故年发生率 (起/每万枚)"
    assert ind.loc["16", "unit"] == "起/每万枚"
    # "全市细颗粒物(PM2.5) 浓度(μg/m ³)"
    assert ind.loc["1", "unit"] == "μg/m³"
    assert ind.loc["11", "category"] == "应对气候变化" and ind.loc["17", "category"] == "生态保护"


@pytest.mark.parametrize("pid, name_start, investment, district, adcode", [
    # 13-1 row 25: "清洁取暖运行补贴 … 阳泉市能源局	市本级	在建	2022-11	2023-03	37.3761388"
    ("13-1#25", "清洁取暖运行补贴", 37.3761388, "市本级", "140300"),
    # 13-1 row printed "25" (20th row): "阳泉天隆净水材料有限公司环保深化治理改造项目 … 郊区 … 0.61048"
    ("13-1#20", "阳泉天隆净水材料有限公司", 0.61048, "郊区", "140311"),
    # 13-1 row 24: "山西孟县西小坪耐火材料有限公司… 孟县	初步设计	2021-10	2022-10	3.791" (孟 = OCR of 盂)
    ("13-1#24", "山西盂县西小坪耐火材料有限公司", 3.791, "盂县", "140322"),
    # 13-2 row 12: "阳泉市龙华口调水工程 … 市本级 … 20.3"
    ("13-2#12", "阳泉市龙华口调水工程", 20.3, "市本级", "140300"),
    # 13-2 row 17: "华阳集团新材料污水处理零排放系统升级改造项目 … 矿区 … 0.64"
    ("13-2#17", "华阳集团新材料污水处理零排放", 0.64, "矿区", "140303"),
    # 13-2 row 21: "阳泉市城区义井镇瀑里村闭坑煤矿老窑水… 城区 … 2022 … 1.5929"
    ("13-2#21", "阳泉市城区义井镇瀑里村", 1.5929, "城区", "140302"),
    # 13-3 row 3: "平定县农村人居环境整治项目 … 平定县 … 12"
    ("13-3#3", "平定县农村人居环境整治项目", 12.0, "平定县", "140321"),
])
def test_project_values(proj, pid, name_start, investment, district, adcode):
    row = proj.loc[pid]
    assert row["name_zh"].startswith(name_start)
    assert row["investment_total"] == pytest.approx(investment, abs=1e-9)
    assert row["district"] == district and row["adcode"] == adcode


def test_project_column_shift_corrections(proj):
    # 13-2 row 1 prints "城区	(empty)	…	2021	0.4592": year under 预计投资, money one column right (C2)
    assert proj.loc["13-2#1", "completion_date"] == "2021"
    assert proj.loc["13-2#1", "investment_total"] == pytest.approx(0.4592)
    assert math.isnan(proj.loc["13-2#1", "invest_13th_done"])
    # 13-1 row 1 prints "8.798 … 阳泉市生态环境局	能力建设" one column left (C1)
    assert proj.loc["13-1#1", "lead_department"] == "阳泉市生态环境局"
    assert proj.loc["13-1#1", "remarks"] == "能力建设"
    # 13-1 row 2: "0.806	0.26" -> 0.26 under “十三五”已完成投资
    assert proj.loc["13-1#2", "invest_13th_done"] == pytest.approx(0.26)
    # 13-2 row 16: "0.7428		0.3714" -> 0.3714 under “十四五”期间投资
    assert proj.loc["13-2#16", "invest_14th"] == pytest.approx(0.3714)
    # "2022.6" -> ISO month (C6)
    assert proj.loc["13-2#13", "start_date"] == "2022-06"
    # a project over several districts: "郊区、孟县"
    assert proj.loc["13-2#9", "district"] == "郊区;盂县" and proj.loc["13-2#9", "adcode"] == "140311;140322"


def test_every_project_has_investment_or_explicit_not_stated(proj):
    stated = proj["investment_status"] == "stated"
    assert set(proj["investment_status"]) <= {"stated", "not stated"}
    assert proj.loc[stated, "investment_total"].notna().all()
    assert proj.loc[~stated, "investment_total"].isna().all()


@pytest.mark.parametrize("tid, value, unit, comparator, year", [
    ("T01", 540, "万千瓦", "~", 2025),   # "到 2025 年太阳能发电装机力争接近 540 万千瓦"
    ("T02", 160, "万千瓦", "~", 2025),   # "到 2025 年风电装机接近 160 万千瓦"
    ("T03", 15, "亿m³/a", ">=", 2025),   # "阳泉瓦斯抽采量达到 15 亿立方米"
    ("T05", 40, "%", ">=", 2025),        # "煤层气综合利用率达到 40%"
    ("T13", 100, "mg/m³", "<=", None),   # 熟料烧成 "… 氮氧化物 … 不高于 … 100 mg/m^3"
    ("T18", 2.5, "mg/m³", "<=", None),   # "氨逃逸指标分别控制在 2.5mg/m³、8mg/m³ 以内"
    ("T19", 8, "mg/m³", "<=", None),
    ("T20", 80, "%", ">", 2025),         # "最终达到所有涉 VOCs 企业处理效率高于 80%"
    ("T30", 14.25, "万亩", ">=", None),  # "完成水土流失治理面积 14.25 万亩"
    ("T41", 85, "%", ">=", 2025),        # "到 2025 年，全市声环境功能区夜间达标率达到 85%"
])
def test_text_target_values(targets, tid, value, unit, comparator, year):
    row = targets.set_index("target_id").loc[tid]
    assert row["value"] == pytest.approx(value)
    assert row["unit"] == unit and row["comparator"] == comparator
    if year is None:
        assert pd.isna(row["target_year"])
    else:
        assert int(row["target_year"]) == year


def test_results_13th_values():
    res = plan.read_results_13th().set_index("result_id")
    assert res.loc["R02", "value"] == 1145        # "累计退出落后产能 1145 万吨"
    assert res.loc["R04", "value"] == 114830      # "完成清洁能源改造 114830 户"
    assert res.loc["R05", "value"] == 2566        # "累计淘汰老旧车 2566 辆"
    assert res.loc["R13", "value"] == 69.9        # "2020 年全市优良天数比例 69.9%"


def test_both_2020_good_day_ratios_kept_and_chart_choice_recorded():
    fig = plan.read_official_figures().set_index("figure_id")
    good = fig[(fig["indicator_id"] == "2") & (fig["period"] == "2020")]
    assert sorted(good["value"]) == [68.6, 69.9]
    assert bool(fig.loc["F02", "used_in_charts"]) and "Table 1" in fig.loc["F02", "location"]
    assert not bool(fig.loc["F03", "used_in_charts"]) and "ch. 1" in fig.loc["F03", "location"]
    assert "R13" not in fig.index and "R02" in fig.index   # chapter-1 results appended once


@pytest.mark.skipif(not PLAN_TEXT.exists(), reason=f"plan text not found at {PLAN_TEXT}")
def test_quotes_and_investments_are_on_their_plan_lines(targets, proj):
    lines = PLAN_TEXT.read_text(encoding="utf-8").splitlines()
    for row in targets.itertuples():
        assert row.quote in lines[row.plan_text_line - 1], row.target_id
    for row in plan.read_results_13th().itertuples():
        assert row.quote in lines[row.plan_text_line - 1], row.result_id
    for pid, row in proj.iterrows():
        fields = lines[row["plan_text_line"] - 1].split("\t")
        printed = [f for f in fields if f.strip()]
        assert f"{row['investment_total']:.10g}" in printed, pid


# ---------------------------------------------------------------------------
# reconciliation

# Sums of the 预计投资 column typed from the plan text, row by row.
AIR = [8.798, 0.806, 16.83718, 6.14, 1.47563, 1.06, 1.44, 2.4, 2.45, 0.8, 8.02, 5.16, 0.99346, 1.04,
       0.73246, 0.855, 0.39, 0.975, 1.2669, 0.61048, 1.01418, 0.95563, 0.36, 3.791, 37.3761388,
       9.98111, 2.395, 0.834769, 0.3406, 0.45, 0.754, 2.7542]
WATER = [0.4592, 2.90628, 5.6567, 0.9, 0.469523, 0.44, 0.0539, 1.5, 2.6202, 0.478113, 0.152866, 20.3,
         0.8399, 1.8974, 0.6382, 0.7428, 0.64, 5.5, 6.75, 7.28, 1.5929, 3.4699, 0.6138]
SOIL = [0.3, 1.2262, 12, 9.7]


def test_reconciliation_figures():
    rec = plan.reconcile_projects().set_index("table")
    # "工程 66 项（大气环境治理工程 38 项、水环境治理工程 24 项、土壤环境治理工程 4 项），投资估算约
    #  213.9246 亿元（大气 123.2567 亿元、水 67.4417 亿元、土壤 23.2262 亿元）"
    assert rec["stated_count"].to_dict() == {"13-1": 38, "13-2": 24, "13-3": 4, "all": 66}
    assert rec.loc["all", "stated_investment"] == 213.9246
    assert rec["table_rows"].to_dict() == {"13-1": len(AIR), "13-2": len(WATER), "13-3": len(SOIL),
                                           "all": len(AIR) + len(WATER) + len(SOIL)}
    assert rec.loc["13-1", "table_investment"] == pytest.approx(math.fsum(AIR), abs=1e-7)   # 123.256738
    assert rec.loc["13-2", "table_investment"] == pytest.approx(math.fsum(WATER), abs=1e-7)  # 65.901682
    assert rec.loc["13-3", "table_investment"] == pytest.approx(math.fsum(SOIL), abs=1e-7)   # 23.2262
    assert rec.loc["13-2", "investment_difference"] == pytest.approx(65.901682 - 67.4417, abs=1e-7)
    assert rec.loc["all", "count_difference"] == 59 - 66
    assert rec["agrees"].to_dict() == {"13-1": False, "13-2": False, "13-3": True, "all": False}


def test_summarise_investment_groups_add_up(proj):
    total = math.fsum(AIR + WATER + SOIL)
    for by in ("table", "category", "district", "department"):
        s = plan.summarise_investment(by)
        assert s["investment"].sum() == pytest.approx(total, abs=1e-6)
        assert s["n_projects"].sum() == 59
        assert s["share"].sum() == pytest.approx(1.0)
    d = plan.summarise_investment("district").set_index("district")
    # 矿区 holds one project, 13-2 row 17 (0.64)
    assert d.loc["矿区", "investment"] == pytest.approx(0.64) and d.loc["矿区", "n_projects"] == 1
    with pytest.raises(ValueError, match="by: 'county' is not one of"):
        plan.summarise_investment("county")


# ---------------------------------------------------------------------------
# province targets


def test_no_target_supplied_by_default():
    res = plan.resolve_targets().set_index("indicator_id")
    assert res.loc["1", "target_status"] == plan.NO_TARGET == "no target supplied"
    assert math.isnan(res.loc["1", "target_value"])
    assert res.loc["3", "target_status"] == "plan value" and res.loc["3", "target_value"] == 0.9


def _copy_plan_dir(tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(config.data_dir() / "plans", dest / "plans")
    shutil.copytree(config.data_dir() / "official", dest / "official")
    return dest


def test_province_target_supplied_is_used(tmp_path, monkeypatch):
    data = _copy_plan_dir(tmp_path)
    monkeypatch.setenv("YQPLAN_DATA", str(data))
    f = data / "plans" / "14th" / "province_targets.csv"
    with open(f, "a", encoding="utf-8") as fh:
        fh.write("1,2025,39,μg/m³,,test document (not a real source),2021,,\n")
    res = plan.resolve_targets().set_index("indicator_id")
    assert res.loc["1", "target_value"] == 39 and res.loc["1", "comparator"] == "<="
    assert res.loc["1", "target_status"] == "province value supplied"
    assert res.loc["2", "target_status"] == "no target supplied"


@pytest.mark.parametrize("row, column", [
    ("3,2025,1,%,,doc,,,", "indicator_id"),       # item 3 has a printed target
    ("1,2025,39,%,,doc,,,", "unit"),              # PM2.5 is in μg/m³
    ("1,2025,39,μg/m³,,,,,", "source"),           # every value needs its source
    ("99,2025,1,,,doc,,,", "indicator_id"),       # no such indicator
    ("2,2025,abc,%,,doc,,,", "value"),
])
def test_province_targets_bad_row_refused(tmp_path, row, column):
    src = config.data_dir() / "plans" / "14th" / "province_targets.csv"
    f = tmp_path / "province_targets.csv"
    text = src.read_text(encoding="utf-8")
    f.write_text(text + row + "\n", encoding="utf-8")
    expected_line = len(text.splitlines()) + 1
    with pytest.raises(DataFileError) as err:
        plan.read_province_targets(path=f)
    assert err.value.line == expected_line and err.value.column == column
    assert "province_targets.csv" in str(err.value) and f"line {expected_line}" in str(err.value)


# ---------------------------------------------------------------------------
# corrupted copies of every table are refused, naming row and column


def _corrupt(src: Path, dest: Path, record: int, column: str, value: str) -> int:
    """Copy src to dest with one field of data record ``record`` (0-based) replaced; return its line."""
    lines = src.read_text(encoding="utf-8").splitlines()
    start = 0
    while lines[start].startswith("#"):
        start += 1
    header = next(csv.reader([lines[start]]))
    line_index = start + 1 + record
    fields = next(csv.reader([lines[line_index]]))
    fields[header.index(column)] = value
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    lines[line_index] = buf.getvalue()
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return line_index + 1


CORRUPTIONS = [
    # reader, folder, file, record, column, bad value
    (plan.read_indicators, "plans/14th", "indicators.csv", 2, "target_value", "zero point nine"),
    (plan.read_indicators, "plans/14th", "indicators.csv", 3, "comparator", "=>"),
    (plan.read_indicators, "plans/14th", "indicators.csv", 2, "target_value", ""),      # kind 'value' needs one
    (plan.read_indicators, "plans/14th", "indicators.csv", 0, "baseline_2020", "50"),   # disagrees with '49'
    (plan.read_indicators, "plans/14th", "indicators.csv", 5, "indicator_id", "5"),     # duplicate id
    (plan.read_projects, "plans/14th", "projects.csv", 24, "investment_total", "37,3761388"),
    (plan.read_projects, "plans/14th", "projects.csv", 10, "district", "阳泉"),
    (plan.read_projects, "plans/14th", "projects.csv", 40, "adcode", "140303"),        # 13-2#9 is 郊区;盂县
    (plan.read_projects, "plans/14th", "projects.csv", 5, "investment_status", "not stated"),
    (plan.read_projects, "plans/14th", "projects.csv", 3, "start_date", "March 2021"),
    (plan.read_text_targets, "plans/14th", "text_targets.csv", 0, "value", "540万"),
    (plan.read_text_targets, "plans/14th", "text_targets.csv", 4, "comparator", "at least"),
    (plan.read_text_targets, "plans/14th", "text_targets.csv", 6, "section", "6.1.1"),  # chapter is 5
    (plan.read_results_13th, "plans/14th", "results_13th.csv", 1, "value", "1145万"),
    (plan.read_results_13th, "plans/14th", "results_13th.csv", 2, "period", "2021"),
    (plan.read_stated_totals, "plans/14th", "stated_totals.csv", 3, "stated_count", "sixty-six"),
    (plan.read_official_figures, "official", "figures.csv", 1, "used_in_charts", "maybe"),
    (plan.read_official_figures, "official", "figures.csv", 0, "value", "49 μg"),
]


@pytest.mark.parametrize("reader, folder, name, record, column, bad", CORRUPTIONS,
                         ids=[f"{c[2]}:{c[4]}={c[5]!r}" for c in CORRUPTIONS])
def test_corrupted_copy_is_refused(tmp_path, reader, folder, name, record, column, bad):
    src = config.data_dir() / folder / name
    dest = tmp_path / name
    line = _corrupt(src, dest, record, column, bad)
    with pytest.raises(DataFileError) as err:
        reader(path=dest)
    msg = str(err.value)
    assert name in msg and f"line {line}" in msg
    assert err.value.line == line
    assert column in (err.value.column or "").split(",")


def test_readers_follow_yqplan_data(tmp_path, monkeypatch):
    data = _copy_plan_dir(tmp_path)
    monkeypatch.setenv("YQPLAN_DATA", str(data))
    f = data / "plans" / "14th" / "indicators.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(",25.87,value,25.87,", ",26.5,value,26.5,"),
                 encoding="utf-8")
    assert plan.read_indicators().set_index("indicator_id").loc["18", "target_value"] == 26.5
    assert plan.read_indicators().attrs["source_path"] == str(f)
