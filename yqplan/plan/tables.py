"""The plan's tables as data: indicators, key projects, text targets, 13th-FYP results.

Reads the hand-transcribed CSV files of one plan folder, ``yqplan.config.data_dir() /
"plans" / <plan id>`` (default :data:`DEFAULT_PLAN`, ``14th``; a folder path works too;
see ``docs/plan-folders.md``), and ``data/official`` for published figures, checks each against a schema and
returns :class:`pandas.DataFrame` objects with documented columns and units.

Source: 阳泉市“十四五”生态环境保护规划 (Yangquan 14th Five-Year Ecological
Environment Protection Plan, 2021–2025) — Table 1 (indicators, ch. 2 §4),
chapters 3–12 (targets in the text), chapter 1 §1 (13th-FYP results) and
Tables 13-1, 13-2, 13-3 (key projects, ch. 13).  Every correction made to the
flattened text is listed in ``data/plans/14th/README.md``.

Every reader takes ``path=`` (default: the shipped file) and raises
:class:`yqplan.errors.DataFileError` naming the file, the line (header = line 1
counting the comment lines above it) and the column when a field breaks the
schema or a row is inconsistent (for example a target kind ``value`` without a
target value).  Readers return a DataFrame (the module contract); the file read
is recorded in ``df.attrs["source_path"]``.

Money is in 亿元 (10^8 yuan) throughout, as printed in the plan.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import yaml

from yqplan import config
from yqplan._schema import Column, Schema, read_csv_checked
from yqplan.air.cities import DEFAULT_CITY_FULL
from yqplan.errors import DataFileError

__all__ = [
    "data_lines", "unit_key", "same_unit", "is_missing",
    "read_indicators", "read_projects", "read_text_targets", "read_results_13th",
    "read_province_targets", "read_official_figures", "read_stated_totals",
    "reconcile_projects", "summarise_investment", "resolve_targets",
    "DISTRICT_ADCODES", "NO_TARGET", "DEFAULT_PLAN", "plan_dir", "plan_meta", "PlanMeta",
]

#: County-level districts of Yangquan and their administrative codes (GB/T 2260).
#: 市本级 (city level) takes the city's code; the development zones have none.
DISTRICT_ADCODES = {"城区": "140302", "矿区": "140303", "郊区": "140311", "平定县": "140321",
                    "盂县": "140322", "市本级": "140300", "高新区": "", "经济技术开发区": "",
                    "未注明": "", "未定": ""}

#: What an analysis says when a province-assigned target has no value supplied.
NO_TARGET = "no target supplied"

_TABLES = {"13-1": ("air", "大气环境治理工程"), "13-2": ("water", "水环境治理工程"),
           "13-3": ("soil", "土壤环境治理工程")}
_COMPARATORS = ("<=", ">=", "<", ">")
_EPS = 1e-9


#: The plan read when no plan is named.
DEFAULT_PLAN = "14th"


def plan_dir(plan=None) -> Path:
    """The folder of one plan's tables.

    ``plan``: a plan id (a folder name under ``data_dir()/plans``, e.g. ``"14th"``), a
    path to a plan folder (anything holding a path separator, or a Path), or None for
    :data:`DEFAULT_PLAN`.  FileNotFoundError naming the plans present when it is missing.
    """
    if plan is None or plan == "":
        plan = DEFAULT_PLAN
    if isinstance(plan, Path) or "/" in str(plan) or "\\" in str(plan):
        folder = Path(plan).expanduser()
    else:
        folder = config.data_dir() / "plans" / str(plan)
    if not folder.is_dir():
        root = config.data_dir() / "plans"
        known = sorted(p.name for p in root.iterdir() if (p / "plan.yaml").is_file()) \
            if root.is_dir() else []
        raise FileNotFoundError(f"plan {plan!r}: no plan folder at {folder}; plans present: "
                                f"{', '.join(known) or 'none'}")
    return folder


def _plan_file(name: str, plan=None) -> Path:
    return plan_dir(plan) / name


class PlanMeta(NamedTuple):
    """A plan's metadata (``plan.yaml`` in its folder).

    ``period_start``–``period_end`` the plan period [years]; ``base_year`` the year of
    the baselines; ``target_year`` the year the final verdicts are on;
    ``default_edition`` the air standard edition the plan is measured under
    (``"2012"`` or ``"2026"``); ``folder`` where the tables are.
    """

    plan_id: str
    name_zh: str
    name_en: str
    period_start: int
    period_end: int
    base_year: int
    target_year: int
    default_edition: str
    folder: Path


def plan_meta(plan=None) -> PlanMeta:
    """Read and check ``plan.yaml`` of a plan folder (DataFileError naming the key)."""

    folder = plan_dir(plan)
    path = folder / "plan.yaml"
    if not path.is_file():
        raise DataFileError(path, "file not found", expected="plan.yaml with id, period_start, "
                            "period_end, base_year, target_year, default_edition")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataFileError(path, f"not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise DataFileError(path, "not a mapping", expected="key: value lines")
    lines = {ln.split(":", 1)[0].strip(): i + 1 for i, ln in
             enumerate(path.read_text(encoding="utf-8").splitlines()) if ":" in ln
             and not ln.lstrip().startswith("#")}
    vals = {}
    for key in ("period_start", "period_end", "base_year", "target_year"):
        v = raw.get(key)
        if not isinstance(v, int) or not 1900 <= v <= 2100:
            raise DataFileError(path, "missing or not a year", line=lines.get(key), column=key,
                                expected="a year such as 2025", found=v)
        vals[key] = v
    if not vals["period_start"] <= vals["period_end"]:
        raise DataFileError(path, "period ends before it starts", line=lines.get("period_end"),
                            column="period_end", expected=f">= {vals['period_start']}",
                            found=vals["period_end"])
    if not vals["base_year"] < vals["period_start"] <= vals["target_year"] <= vals["period_end"]:
        raise DataFileError(path, "years inconsistent", line=lines.get("target_year"),
                            column="base_year,target_year",
                            expected="base_year < period_start <= target_year <= period_end",
                            found=(vals["base_year"], vals["target_year"]))
    edition = str(raw.get("default_edition", "2012"))
    if edition not in ("2012", "2026"):
        raise DataFileError(path, "unknown edition", line=lines.get("default_edition"),
                            column="default_edition", expected="2012 or 2026", found=edition)
    return PlanMeta(str(raw.get("id") or folder.name), str(raw.get("name_zh") or ""),
                    str(raw.get("name_en") or ""), vals["period_start"], vals["period_end"],
                    vals["base_year"], vals["target_year"], edition, folder)


def _check_district(value) -> str | None:
    parts = str(value).split(";")
    bad = [p for p in parts if p not in DISTRICT_ADCODES]
    if bad:
        return "district(s) from " + ", ".join(DISTRICT_ADCODES) + " separated by ';'"
    return None


# ---------------------------------------------------------------------------
# Schemas (one per shipped file)

INDICATORS_SCHEMA = Schema([
    Column("indicator_id", required=True, pattern=r"\d{1,2}(\.\d)?",
           description="indicator number as printed in Table 1 ('1' … '19'; '10.1' … '10.5' for the sub-items of item 10)"),
    Column("item_no", "int", required=True, min=1, max=19, description="item number in Table 1"),
    Column("sub_item", "int", min=1, max=5, description="sub-item of item 10 (1 COD … 5 VOCs); empty otherwise"),
    Column("category", required=True, choices=("环境治理", "应对气候变化", "环境风险防控", "生态保护"),
           description="indicator class as printed (指标类)"),
    Column("category_en", required=True, description="indicator class in English"),
    Column("name_zh", required=True, description="indicator name as printed"),
    Column("name_en", required=True, description="indicator name in English"),
    Column("unit", required=True, description="unit of the indicator"),
    Column("baseline_2020", "float", description="2020 value from Table 1 [indicator unit]; NaN where the plan prints '-'"),
    Column("baseline_text", required=True, description="2020 value as printed ('-' = none)"),
    Column("target_text", required=True, description="2025 target as printed (verbatim)"),
    Column("target_kind", required=True, choices=("value", "province_assigned", "not_below_baseline"),
           description="value = a number printed; province_assigned = 完成省下达指标; not_below_baseline = 不低于现状"),
    Column("target_value", "float", description="2025 target [indicator unit] where the plan prints a number; NaN otherwise"),
    Column("comparator", choices=_COMPARATORS,
           description="how a value meets the target: value <comparator> target (the target is a bound, not a forecast)"),
    Column("direction", required=True, choices=("lower", "higher"), description="which way is better"),
    Column("attribute", required=True, choices=("binding", "expected"),
           description="binding (约束性) or expected (预期性)"),
    Column("attribute_zh", required=True, choices=("约束性", "预期性"), description="attribute as printed"),
    Column("source", required=True, description="where in the plan the row is stated"),
    Column("plan_text_line", "int", min=1, description="line in the flattened plan text (aid for checking)"),
    Column("note", description="remarks on the row"),
], unique=("indicator_id",))

PROJECTS_SCHEMA = Schema([
    Column("project_id", required=True, pattern=r"13-[123]#\d+", description="table and row position, e.g. '13-1#20'"),
    Column("table", required=True, choices=tuple(_TABLES), description="plan table: 13-1 air, 13-2 water, 13-3 soil"),
    Column("category", required=True, choices=("air", "water", "soil"), description="project field of the table"),
    Column("category_zh", required=True, choices=tuple(v[1] for v in _TABLES.values()),
           description="table field as printed"),
    Column("position", "int", required=True, min=1, description="row order within the table (1-based)"),
    Column("printed_no", required=True, pattern=r"\d+", description="row number as printed (garbled in places)"),
    Column("name_zh", required=True, description="项目名称 project name"),
    Column("project_type", description="项目属性 (重大工程/打捆项目 …) as printed"),
    Column("scale", description="主要建设规模 main scale as printed"),
    Column("content", description="主要建设内容 main content as printed"),
    Column("planning_basis", description="纳入中长期规划情况及其他纳入依据 as printed"),
    Column("build_status", choices=("新建", "续建", "在建", "初步设计"),
           description="建设属性 as printed (新建 new, 续建 continued, 在建 under construction)"),
    Column("owner", description="项目建设主体 implementing body"),
    Column("location_printed", description="项目建设地点 exactly as printed"),
    Column("district", required=True, check=_check_district,
           description="county-level district(s), ';'-separated; 市本级 city level, 未注明 not stated, 未定 undetermined"),
    Column("adcode", pattern=r"\d{6}(;\d{6})*", description="county adcode(s) of district; 140300 city-wide"),
    Column("district_basis", required=True,
           choices=("printed", "township", "project name", "not stated", "undetermined"),
           description="how district was derived from the printed location"),
    Column("progress", description="前期工作进展和建设条件落实情况 as printed"),
    Column("start_date", "date", description="开工时间 start (YYYY or YYYY-MM)"),
    Column("completion_date", "date", description="投产时间 completion (YYYY or YYYY-MM)"),
    Column("investment_total", "float", min=0, description="预计投资 estimated investment [亿元]"),
    Column("investment_status", required=True, choices=("stated", "not stated"),
           description="whether the table states an investment for the row"),
    Column("invest_13th_done", "float", min=0, description="investment completed in the 13th FYP [亿元]"),
    Column("invest_14th", "float", min=0, description="investment planned in the 14th FYP [亿元]"),
    Column("invest_after_14th", "float", min=0, description="investment planned after the 14th FYP [亿元]"),
    Column("new_land_mu", "float", min=0, description="new construction land [亩]"),
    Column("constraints", description="建设难点和可能制约因素 as printed"),
    Column("lead_department", description="建议牵头责任部门 proposed lead department"),
    Column("remarks", description="备注 as printed"),
    Column("possible_duplicate_of", pattern=r"13-[123]#\d+", description="project_id of a row this one may repeat"),
    Column("plan_text_line", "int", min=1, description="line in the flattened plan text where the row starts"),
    Column("notes", description="transcription notes (corrections C1–C8, see data/plans/14th/README.md)"),
], unique=("project_id",))

TEXT_TARGETS_SCHEMA = Schema([
    Column("target_id", required=True, pattern=r"T\d{2,3}", description="target number in this table"),
    Column("chapter", "int", required=True, min=3, max=12, description="plan chapter"),
    Column("section", required=True, pattern=r"\d{1,2}\.\d(\.\d)?", description="chapter.section[.subsection]"),
    Column("heading_zh", required=True, description="section heading as printed"),
    Column("topic", required=True, description="topic (energy, air, soil …)"),
    Column("item_zh", required=True, description="what is targeted, in Chinese"),
    Column("item_en", required=True, description="what is targeted, in English"),
    Column("value", "float", required=True, description="target or limit value [unit]"),
    Column("value_printed", required=True, description="value as printed"),
    Column("unit", required=True, description="unit of value"),
    Column("comparator", required=True, choices=_COMPARATORS + ("=", "~"),
           description="value meets the target when <comparator> value; '~' = approach (接近)"),
    Column("target_year", "int", min=2021, max=2035, description="year printed with the target; empty if none"),
    Column("period_text", description="time phrase as printed (到 2025 年, “十四五”期间 …)"),
    Column("kind", required=True, choices=("target", "limit", "threshold", "count"),
           description="target (goal), limit (emission or standing limit), threshold (rule trigger), count (things to build)"),
    Column("quote", required=True, description="the plan's wording, verbatim"),
    Column("plan_text_line", "int", min=1, description="line in the flattened plan text"),
    Column("note", description="remarks"),
    Column("assess_kind", required=True, choices=("level", "limit", "milestone", "count"),
           description="how the verdict is made (yqplan.plan.text_targets): level to reach, limit not to exceed, dated milestone, count of things added"),
], unique=("target_id",))

RESULTS_SCHEMA = Schema([
    Column("result_id", required=True, pattern=r"R\d{2}", description="result number in this table"),
    Column("item_zh", required=True, description="what was achieved, in Chinese"),
    Column("item_en", required=True, description="what was achieved, in English"),
    Column("value", "float", required=True, description="stated value [unit]"),
    Column("value_printed", required=True, description="value as printed"),
    Column("unit", required=True, description="unit of value"),
    Column("period", required=True, choices=("2016-2020", "2020"),
           description="2016-2020 cumulative over the 13th FYP, or the 2020 level"),
    Column("indicator_id", pattern=r"\d{1,2}(\.\d)?", description="Table 1 indicator the figure relates to"),
    Column("quote", required=True, description="the plan's wording, verbatim"),
    Column("source", required=True, description="where in the plan"),
    Column("plan_text_line", "int", min=1, description="line in the flattened plan text"),
    Column("note", description="remarks"),
], unique=("result_id",))

STATED_SCHEMA = Schema([
    Column("table", required=True, choices=tuple(_TABLES) + ("all",), description="plan table or 'all'"),
    Column("category", required=True, description="project field"),
    Column("category_zh", required=True, description="project field as printed"),
    Column("stated_count", "int", required=True, min=0, description="number of projects stated in the text"),
    Column("stated_investment", "float", required=True, min=0, description="investment stated in the text [亿元]"),
    Column("unit", required=True, choices=("亿元",), description="unit of money"),
    Column("source", required=True, description="where in the plan"),
    Column("plan_text_line", "int", min=1, description="line in the flattened plan text"),
    Column("quote", required=True, description="the plan's wording"),
], unique=("table",))

FIGURES_SCHEMA = Schema([
    Column("figure_id", required=True, pattern=r"[FR]\d{2}", description="figure number"),
    Column("indicator_id", pattern=r"\d{1,2}(\.\d)?", description="Table 1 indicator measured (Yangquan city only)"),
    Column("area", required=True, description="area the figure describes (阳泉市, 山西省, a section …)"),
    Column("period", required=True, description="period (2020, 2014-01/2014-06, 2017-Q2 …)"),
    Column("figure_zh", required=True, description="what the figure is, in Chinese"),
    Column("figure_en", required=True, description="what the figure is, in English"),
    Column("value", "float", description="numeric value [unit]; NaN for a class such as 劣V"),
    Column("value_text", required=True, description="value as published"),
    Column("unit", required=True, description="unit of value"),
    Column("source", required=True, description="publication"),
    Column("source_date", "date", description="publication date"),
    Column("location", description="where in the publication"),
    Column("used_in_charts", "bool", required=True, description="whether charts use this figure"),
    Column("note", description="remarks"),
], unique=("figure_id",))


def _province_schema(indicator_ids) -> Schema:
    return Schema([
        Column("indicator_id", required=True, choices=tuple(indicator_ids),
               description="indicator (as in indicators.csv) whose province-assigned value this is"),
        Column("period", "int", required=True, min=2021, max=2035, description="target year"),
        Column("value", "float", required=True, description="province-assigned target [indicator unit]"),
        Column("unit", description="unit; must match the indicator's unit"),
        Column("comparator", choices=_COMPARATORS, description="empty = from the indicator's direction"),
        Column("source", required=True, description="document and issuer of the value"),
        Column("source_date", "date", description="date of the document"),
        Column("source_url", description="where to read it"),
        Column("note", description="remarks"),
    ], unique=("indicator_id", "period"))


# ---------------------------------------------------------------------------
# Reading with row-level checks


def data_lines(path: Path) -> list[int]:
    """Editor line of each data record, counted exactly as ``read_csv_checked`` counts."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = fh.read().splitlines()
    start = 0
    while start < len(lines) and lines[start].lstrip().startswith("#"):
        start += 1
    reader = csv.reader(lines[start:])
    next(reader, None)
    out = []
    for offset, fields in enumerate(reader):
        if any(f.strip() for f in fields):
            out.append(start + 2 + offset)
    return out


def _isnum(x) -> bool:
    return x is not None and not (isinstance(x, float) and math.isnan(x))


def _read(path, default_name: str, schema: Schema, row_check=None, plan=None):
    path = Path(path) if path is not None else _plan_file(default_name, plan)
    df = read_csv_checked(path, schema)
    if row_check is not None and len(df):
        lines = data_lines(path)
        for i, rec in enumerate(df.to_dict("records")):
            rec = {k: (None if is_missing(v) else v) for k, v in rec.items()}
            problem = row_check(rec)
            if problem:
                column, expected, found = problem
                raise DataFileError(path, "row is inconsistent", line=lines[i], column=column,
                                    expected=expected, found=found)
    df.attrs["source_path"] = str(path)
    return df


def is_missing(v) -> bool:
    """True for None, NaN and pandas' NA (an Int64 column's empty year); False for a value
    ``pd.isna`` cannot judge as one (a list)."""
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _indicator_row(r):
    kind, tv, comp = r["target_kind"], r["target_value"], r["comparator"]
    if kind == "value" and not _isnum(tv):
        return "target_value", "a number when target_kind is 'value'", tv
    if kind == "value" and not comp:
        return "comparator", "one of <=, >=, <, > when target_kind is 'value'", comp
    if kind == "province_assigned" and _isnum(tv):
        return "target_value", "empty when target_kind is 'province_assigned' (values go to province_targets.csv)", tv
    if comp and r["direction"] == "lower" and comp not in ("<=", "<"):
        return "comparator", "<= or < for direction 'lower'", comp
    if comp and r["direction"] == "higher" and comp not in (">=", ">"):
        return "comparator", ">= or > for direction 'higher'", comp
    if (r["attribute"] == "binding") != (r["attribute_zh"] == "约束性"):
        return "attribute_zh", "约束性 for binding, 预期性 for expected", r["attribute_zh"]
    bt, bv = r["baseline_text"], r["baseline_2020"]
    if bt == "-" and _isnum(bv):
        return "baseline_2020", "empty where baseline_text is '-'", bv
    if bt != "-":
        try:
            printed = float(bt)
        except ValueError:
            return "baseline_text", "'-' or the number printed", bt
        if not _isnum(bv) or abs(printed - bv) > _EPS:
            return "baseline_2020", f"{printed:g} (as in baseline_text)", bv
    if r["sub_item"] is not None and r["indicator_id"] != f"{r['item_no']}.{r['sub_item']}":
        return "indicator_id", f"{r['item_no']}.{r['sub_item']} (item_no.sub_item)", r["indicator_id"]
    if r["sub_item"] is None and r["indicator_id"] != str(r["item_no"]):
        return "indicator_id", f"{r['item_no']} (item_no)", r["indicator_id"]
    return None


def read_indicators(path=None, *, plan=None):
    """Read Table 1, the plan's 19 indicators (item 10 split into sub-items 10.1–10.5).

    Parameters
    ----------
    path : str or Path, optional
        CSV file; default ``plan_dir(plan)/indicators.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per indicator (23 rows: items 1–9, 10.1–10.5, 11–19). Columns:

        - ``indicator_id`` (str, as printed: "1" … "19", "10.1" … "10.5"),
          ``item_no`` (int), ``sub_item`` (int or NA)
        - ``category`` (指标类 as printed), ``category_en``
        - ``name_zh``, ``name_en``, ``unit`` (μg/m³, %, 起/每万枚, index)
        - ``baseline_2020`` (float [unit]; NaN where the plan prints "-"), ``baseline_text``
        - ``target_text`` (2025 target verbatim), ``target_kind`` ("value" |
          "province_assigned" | "not_below_baseline"), ``target_value`` (float or NaN),
          ``comparator`` ("<=", ">=", "<", ">" or empty)
        - ``direction`` ("lower" | "higher" is better), ``attribute`` ("binding" |
          "expected"), ``attribute_zh`` (约束性 | 预期性)
        - ``source`` (where in the plan), ``plan_text_line``, ``note``

    Notes
    -----
    Targets are bounds, not forecasts: heavy-pollution days 0.8197 % (2020) → ≤ 0.9 %,
    class III or better 100 % → ≥ 80 %.  For "完成省下达指标" the value is not in the
    plan: see :func:`read_province_targets` and :func:`resolve_targets`.

    Raises
    ------
    DataFileError
        A field breaks the schema, or a row is inconsistent (e.g. kind "value"
        without a value); the message names file, line and column.
    """
    return _read(path, "indicators.csv", INDICATORS_SCHEMA, _indicator_row, plan=plan)


def _project_row(r):
    if r["project_id"] != f"{r['table']}#{r['position']}":
        return "project_id", f"{r['table']}#{r['position']} (table#position)", r["project_id"]
    cat, cat_zh = _TABLES[r["table"]]
    if r["category"] != cat:
        return "category", f"{cat} for table {r['table']}", r["category"]
    if r["category_zh"] != cat_zh:
        return "category_zh", f"{cat_zh} for table {r['table']}", r["category_zh"]
    total = r["investment_total"]
    if r["investment_status"] == "stated" and not _isnum(total):
        return "investment_total", "a number when investment_status is 'stated'", total
    if r["investment_status"] == "not stated" and _isnum(total):
        return "investment_status", "'stated' when investment_total holds a number", r["investment_status"]
    parts = [r[c] for c in ("invest_13th_done", "invest_14th", "invest_after_14th") if _isnum(r[c])]
    if parts and _isnum(total) and math.fsum(parts) > total + 1e-6:
        return "invest_14th", f"a split not above the total {total:g} 亿元", math.fsum(parts)
    want = ";".join(DISTRICT_ADCODES[d] for d in r["district"].split(";"))
    want = want if all(DISTRICT_ADCODES[d] for d in r["district"].split(";")) else ""
    if (r["adcode"] or "") != want:
        return "adcode", f"'{want}' for district {r['district']}", r["adcode"]
    if r["start_date"] and r["completion_date"] and r["start_date"][:len(r["completion_date"])] > r["completion_date"]:
        return "completion_date", f"not before start_date {r['start_date']}", r["completion_date"]
    return None


def read_projects(path=None, *, plan=None):
    """Read the key projects of Tables 13-1 (air), 13-2 (water) and 13-3 (soil).

    Parameters
    ----------
    path : str or Path, optional
        CSV file; default ``plan_dir(plan)/projects.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per printed row (59: 32 + 23 + 4). Columns:

        - ``project_id`` ("13-1#20" = table and position), ``table``, ``category``
          (air/water/soil), ``category_zh``, ``position`` (row order), ``printed_no``
          (number as printed; garbled in places, e.g. "25" at position 20 of 13-1)
        - ``name_zh``, ``project_type``, ``scale``, ``content``, ``planning_basis``,
          ``build_status`` (新建/续建/在建/初步设计 as printed), ``owner``, ``progress``
        - ``location_printed`` (verbatim), ``district`` (county-level, ';'-separated
          when several; 市本级 city level; 高新区/经济技术开发区 as printed; 未注明 not
          stated; 未定 undetermined), ``adcode`` (140302 城区, 140303 矿区, 140311 郊区,
          140321 平定县, 140322 盂县, 140300 city-wide), ``district_basis``
        - ``start_date``, ``completion_date`` (text YYYY or YYYY-MM)
        - ``investment_total`` [亿元], ``investment_status`` ("stated" | "not stated"),
          ``invest_13th_done``, ``invest_14th``, ``invest_after_14th`` [亿元],
          ``new_land_mu`` [亩]
        - ``constraints``, ``lead_department``, ``remarks``, ``possible_duplicate_of``,
          ``plan_text_line``, ``notes`` (corrections applied, see data/plans/14th/README.md)

    Raises
    ------
    DataFileError
        A field breaks the schema or a row is inconsistent (investment status vs
        value, split above total, adcode vs district, completion before start).
    """
    df = _read(path, "projects.csv", PROJECTS_SCHEMA, _project_row, plan=plan)
    seen = {}
    lines = None
    for i, key in enumerate(zip(df["table"], df["position"])):
        if key in seen:
            lines = lines or data_lines(Path(df.attrs["source_path"]))
            raise DataFileError(df.attrs["source_path"], f"duplicate of line {lines[seen[key]]}",
                                line=lines[i], column="table,position", expected="a unique value",
                                found=key)
        seen[key] = i
    return df


def _target_row(r):
    if not r["section"].startswith(f"{r['chapter']}."):
        return "section", f"a section of chapter {r['chapter']}", r["section"]
    return None


def read_text_targets(path=None, *, plan=None):
    """Read the quantified targets and limits stated in the text of chapters 3–12.

    Parameters
    ----------
    path : str or Path, optional
        CSV file; default ``plan_dir(plan)/text_targets.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per target. Columns: ``target_id``, ``chapter`` (3–12), ``section``
        ("3.4", "5.1.1" …), ``heading_zh``, ``topic``, ``item_zh``, ``item_en``,
        ``value`` (float [unit]), ``value_printed``, ``unit``, ``comparator``
        ("<=", ">=", "<", ">", "=", "~" approach), ``target_year`` (int or NA, only
        where printed), ``period_text``, ``kind`` (target | limit | threshold |
        count), ``quote`` (verbatim), ``plan_text_line``, ``note``.
        Emission limits are hourly means in mg/m³ as printed (cement kiln at 10 % O2).
    """
    return _read(path, "text_targets.csv", TEXT_TARGETS_SCHEMA, _target_row, plan=plan)


def read_results_13th(path=None, *, plan=None):
    """Read the 13th-FYP (2016–2020) results stated in chapter 1 §1.

    Returns
    -------
    pandas.DataFrame
        Columns: ``result_id``, ``item_zh``, ``item_en``, ``value`` (float [unit]),
        ``value_printed``, ``unit``, ``period`` ("2016-2020" cumulative | "2020"
        level), ``indicator_id`` (related Table 1 indicator, if any), ``quote``,
        ``source``, ``plan_text_line``, ``note``.  The 2020 good-day ratio here is
        69.9 %; Table 1 prints 68.6 % (both kept; see :func:`read_official_figures`).
    """
    return _read(path, "results_13th.csv", RESULTS_SCHEMA, plan=plan)


def read_stated_totals(path=None, *, plan=None):
    """Read the project counts and investment stated in the text of chapter 13.

    Returns
    -------
    pandas.DataFrame
        Rows 13-1, 13-2, 13-3 and "all"; columns ``table``, ``category``,
        ``category_zh``, ``stated_count``, ``stated_investment`` [亿元], ``unit``,
        ``source``, ``plan_text_line``, ``quote``.
    """
    return _read(path, "stated_totals.csv", STATED_SCHEMA, plan=plan)


def read_province_targets(path=None, indicators=None, *, plan=None):
    """Read the user-supplied province-assigned targets (empty as shipped).

    The plan prints "完成省下达指标" for 10 items (14 rows with the sub-items of item 10)
    without a value.  Users may
    enter the values, each with its source, in ``data/plans/14th/province_targets.csv``;
    nothing is invented here.

    Parameters
    ----------
    path : str or Path, optional
        CSV file; default ``plan_dir(plan)/province_targets.csv``.
    indicators : DataFrame, optional
        Result of :func:`read_indicators` (read from the default file if omitted),
        used to check ``indicator_id`` and ``unit``.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator_id``, ``period`` (int year), ``value`` (float [indicator
        unit]), ``unit``, ``comparator``, ``source``, ``source_date``, ``source_url``,
        ``note``.  Zero rows as shipped.

    Raises
    ------
    DataFileError
        Unknown indicator, an indicator whose target is not province-assigned, a
        unit differing from the indicator's, a missing value or source.
    """
    ind = indicators if indicators is not None else read_indicators(plan=plan)
    units = dict(zip(ind["indicator_id"], ind["unit"]))
    kinds = dict(zip(ind["indicator_id"], ind["target_kind"]))

    def check(r):
        if kinds[r["indicator_id"]] != "province_assigned":
            return "indicator_id", "an indicator whose target is 完成省下达指标", r["indicator_id"]
        if r["unit"] and not same_unit(r["unit"], units[r["indicator_id"]]):
            want = units[r["indicator_id"]]
            return ("unit", f"{want} [{_code_points(want)}] (the indicator's unit) or empty",
                    f"{r['unit']} [{_code_points(r['unit'])}]")
        return None

    out = _read(path, "province_targets.csv", _province_schema(list(units)), check, plan=plan)
    if len(out):  # one spelling: the indicator's (µ and μ look alike but differ as text)
        out["unit"] = [units[i] if u else u for i, u in zip(out["indicator_id"], out["unit"])]
    return out


def unit_key(unit: str) -> str:
    """A unit as compared: NFKC-normalised and stripped.

    NFKC maps U+00B5 MICRO SIGN (µ, as many fonts and keyboards type it) to U+03BC
    GREEK SMALL LETTER MU (μ, as the plan's tables have it), so the two spellings of
    μg/m³ are one unit (and folds ³ to 3); blanks anywhere are removed ("μg / m³" is
    μg/m³).  Compare units only through this (or :func:`same_unit`): it is the one rule.
    """
    return unicodedata.normalize("NFKC", str(unit or "")).replace(" ", "").strip()


def same_unit(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are the same unit after :func:`unit_key`."""
    return unit_key(a) == unit_key(b)


def _code_points(text: str) -> str:
    # shown beside a unit in messages: look-alike characters differ here
    return " ".join(f"U+{ord(c):04X}" for c in text if ord(c) > 127)


def read_official_figures(path=None, include_results_13th: bool = True):
    """Read published figures: plan baselines and figures from public releases.

    Parameters
    ----------
    path : str or Path, optional
        CSV file; default ``data_dir()/official/figures.csv``.
    include_results_13th : bool
        Also append the chapter-1 results of :func:`read_results_13th` as figures
        (``figure_id`` = result id, area 阳泉市), except R13, the 69.9 % good-day
        ratio, which is already row F03.

    Returns
    -------
    pandas.DataFrame
        Columns ``figure_id``, ``indicator_id``, ``area``, ``period``, ``figure_zh``,
        ``figure_en``, ``value`` (float [unit] or NaN for a class), ``value_text``,
        ``unit``, ``source``, ``source_date``, ``location``, ``used_in_charts`` (bool),
        ``note``.

    Notes
    -----
    The plan gives two 2020 good-day ratios: 69.9 % (ch. 1 §1, row F03) and 68.6 %
    (Table 1, row F02).  Charts use F02, the baseline of indicator 2.
    """

    path = Path(path) if path is not None else config.data_dir() / "official" / "figures.csv"
    df = _read(path, "", FIGURES_SCHEMA)
    if include_results_13th:
        res = read_results_13th()
        res = res[res["result_id"] != "R13"]
        extra = pd.DataFrame({
            "figure_id": res["result_id"], "indicator_id": res["indicator_id"], "area": DEFAULT_CITY_FULL,
            "period": res["period"], "figure_zh": res["item_zh"], "figure_en": res["item_en"],
            "value": res["value"], "value_text": res["value_printed"], "unit": res["unit"],
            "source": "阳泉市“十四五”生态环境保护规划", "source_date": None,
            "location": res["source"], "used_in_charts": True, "note": res["note"]})
        extra["used_in_charts"] = extra["used_in_charts"].astype("boolean")
        attrs = dict(df.attrs)
        df = pd.concat([df, extra], ignore_index=True)
        df.attrs = attrs
    return df


# ---------------------------------------------------------------------------
# Analyses


def reconcile_projects(projects=None, stated=None, *, plan=None):
    """Set the counts and investment stated in chapter 13 beside what the tables hold.

    Parameters
    ----------
    projects : DataFrame, optional
        :func:`read_projects` result (default file if omitted).
    stated : DataFrame, optional
        :func:`read_stated_totals` result (default file if omitted).

    Returns
    -------
    pandas.DataFrame
        Rows 13-1, 13-2, 13-3 and "all". Columns: ``table``, ``category``,
        ``category_zh``, ``stated_count``, ``table_rows`` (rows in the table),
        ``count_difference`` (table_rows − stated_count), ``stated_investment``,
        ``table_investment`` (sum of stated ``investment_total``), ``investment_difference``
        (table − stated) [亿元, rounded to 7 decimals, the plan's finest precision],
        ``rows_without_investment``, ``agrees`` (count and investment both equal to the
        plan's 4 decimals), ``source``.  The numbers are never forced to agree.
    """

    proj = projects if projects is not None else read_projects(plan=plan)
    st = stated if stated is not None else read_stated_totals(plan=plan)
    rows = []
    for rec in st.to_dict("records"):
        sub = proj if rec["table"] == "all" else proj[proj["table"] == rec["table"]]
        inv = sub["investment_total"].dropna()
        total = round(math.fsum(inv.tolist()), 7)
        n = int(len(sub))
        rows.append({
            "table": rec["table"], "category": rec["category"], "category_zh": rec["category_zh"],
            "stated_count": int(rec["stated_count"]), "table_rows": n,
            "count_difference": n - int(rec["stated_count"]),
            "stated_investment": float(rec["stated_investment"]), "table_investment": total,
            "investment_difference": round(total - float(rec["stated_investment"]), 7),
            "rows_without_investment": int((sub["investment_status"] == "not stated").sum()),
            "agrees": bool(n == rec["stated_count"]
                           and round(total, 4) == round(float(rec["stated_investment"]), 4)),
            "source": rec["source"],
        })
    return pd.DataFrame(rows)


_BY = {"table": ["table", "category", "category_zh"], "category": ["category", "category_zh"],
       "district": ["district", "adcode"], "department": ["lead_department"]}


def summarise_investment(by: str = "table", projects=None, *, plan=None):
    """Sum the stated investment of the key projects by table, category, district or department.

    Parameters
    ----------
    by : {"table", "category", "district", "department"}
        Grouping.  ``district``: a project printed for several districts is one
        group under its ';'-joined label (the plan does not split its money);
        ``department``: ``lead_department``, "未注明" where none is printed.
    projects : DataFrame, optional
        :func:`read_projects` result (default file if omitted).

    Returns
    -------
    pandas.DataFrame
        The grouping column(s), ``n_projects``, ``n_investment_not_stated``,
        ``investment`` (sum of stated investment [亿元]) and ``share`` (of the sum
        over all projects, 0–1), sorted by ``investment`` descending.

    Raises
    ------
    ValueError
        ``by`` is not one of the choices.
    """

    if by not in _BY:
        raise ValueError(f"by: {by!r} is not one of {', '.join(_BY)}")
    proj = (projects if projects is not None else read_projects(plan=plan)).copy()
    proj["lead_department"] = proj["lead_department"].fillna("未注明").replace("", "未注明")
    proj["adcode"] = proj["adcode"].fillna("")
    keys = _BY[by]
    grand = math.fsum(proj["investment_total"].dropna().tolist())
    out = (proj.groupby(keys, dropna=False, sort=False)
           .agg(n_projects=("project_id", "size"),
                n_investment_not_stated=("investment_status", lambda s: int((s == "not stated").sum())),
                investment=("investment_total", lambda s: round(math.fsum(s.dropna().tolist()), 7)))
           .reset_index())
    out["share"] = out["investment"] / grand if grand else float("nan")
    out = out.sort_values(["investment"] + keys, ascending=[False] + [True] * len(keys),
                          ignore_index=True)
    return pd.DataFrame(out)


def resolve_targets(indicators=None, province=None, year: int = 2025, *, plan=None):
    """Each indicator's 2025 target from the plan or, if province-assigned, the province file.

    Parameters
    ----------
    indicators, province : DataFrame, optional
        :func:`read_indicators` and :func:`read_province_targets` results.
    year : int
        Target year looked up in the province file.

    Returns
    -------
    pandas.DataFrame
        One row per indicator: ``indicator_id``, ``name_zh``, ``name_en``, ``unit``,
        ``direction``, ``baseline_2020``, ``target_kind``, ``target_value`` (float or
        NaN), ``comparator``, ``target_source`` and ``target_status``: "plan value",
        "province value supplied", :data:`NO_TARGET` ("no target supplied") or
        "not below baseline" (the plan's 不低于现状; no 2020 value printed).
    """

    ind = indicators if indicators is not None else read_indicators(plan=plan)
    prov = province if province is not None else read_province_targets(indicators=ind, plan=plan)
    prov = prov[prov["period"] == year] if len(prov) else prov
    supplied = {r["indicator_id"]: r for r in prov.to_dict("records")}
    rows = []
    for r in ind.to_dict("records"):
        value, comp, src, status = r["target_value"], r["comparator"], r["source"], "plan value"
        if r["target_kind"] == "province_assigned":
            p = supplied.get(r["indicator_id"])
            if p is None:
                value, comp, src, status = float("nan"), None, None, NO_TARGET
            else:
                comp = p["comparator"] or ("<=" if r["direction"] == "lower" else ">=")
                value, src, status = float(p["value"]), p["source"], "province value supplied"
        elif r["target_kind"] == "not_below_baseline":
            value, status = (r["baseline_2020"] if _isnum(r["baseline_2020"]) else float("nan"),
                             "not below baseline")
        rows.append({"indicator_id": r["indicator_id"], "name_zh": r["name_zh"],
                     "name_en": r["name_en"], "unit": r["unit"], "direction": r["direction"],
                     "baseline_2020": r["baseline_2020"], "target_kind": r["target_kind"],
                     "target_value": value, "comparator": comp, "target_source": src,
                     "target_status": status})
    return pd.DataFrame(rows)
