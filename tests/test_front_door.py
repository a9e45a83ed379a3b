"""One front door (issue 14): the CLI and the notebooks' analysis calls give the same numbers,
and the rules the two share exist once.

The CLI goes parse → one call into :mod:`yqplan.analyses` → print.  Each test here runs a CLI
subcommand that produces numbers and compares its JSON with the calls a notebook makes for
the same question (the notebooks' sources ``notebooks/NN_*.py``): the notebook builds its
request from its parameters (:meth:`yqplan.analyses.AirRequest.from_params` …), which must
equal the request the CLI builds from the equivalent command line, and calls its set-up with
it.  On a small SYNTHETIC archive (two years, :func:`yqplan.air.demo.write_demo_archive`)
ingested into a store.
"""

from __future__ import annotations

import ast
import io
import json
import math
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pandas as pd
import pytest

from yqplan import analyses
from yqplan.air import aqi, demo
from yqplan.air import stats as airstats
from yqplan.air import store as air_store
from yqplan.air.cities import DEFAULT_CITY, normalise_city, region_cities
from yqplan.cli import main as cli_main
from yqplan.plan import final, targets, values
from yqplan.water import gb3838

PACKAGE = Path(analyses.__file__).parent
STATS = ["pm25", "pm10", "so2", "no2", "co_p95", "o3_8h_p90", "valid_days", "good_days",
         "good_ratio", "heavy_days", "composite_index"]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("front_door")
    demo.write_demo_archive(root / "arch", 2022, 2023)
    air_store.ingest(root / "arch", root / "store", progress=False)
    demo.write_demo_water(root / "water", 2022, 2023)
    return root


def cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = cli_main([*argv, "--format", "json"])
    assert rc == 0, err.getvalue()
    return json.loads(out.getvalue())


def same(a, b, rel=1e-9):
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return a == pytest.approx(b, rel=rel, abs=1e-12)


def notebook_request(store, year_from, year_to, **params):
    # what the air notebooks build from their parameters, right after the parameters cell
    return analyses.AirRequest.from_params(store_dir=str(store), start_year=year_from,
                                           end_year=year_to, **params)


def notebook_days(store, year_from, year_to, **params):
    # what the air notebooks do (10_pm25, 11_good_days): their set-up, called with the request
    return analyses.city_air(notebook_request(store, year_from, year_to, **params)).days


def cli_request(monkeypatch, function, *argv):
    """The request the CLI builds for ``argv`` (the analysis ``function`` it calls is watched)
    and the CLI's JSON output."""
    seen = []
    original = getattr(analyses, function)

    def watch(req, *args, **kwargs):
        seen.append(req)
        return original(req, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(analyses, function, watch)
        out = cli(*argv)
    assert len(seen) == 1
    return seen[0], out


# ------------------------------------------------------------------------------ air

def test_air_annual_cli_equals_the_notebooks_annual_table(data, monkeypatch):
    store = str(data / "store")
    # 10_pm25's request for 2022–2023 is the CLI's for the same span …
    req = notebook_request(store, 2022, 2023, city="阳泉市")
    span, _ = cli_request(monkeypatch, "air_annual", "air", "annual", "--store", store, "--city",
                          "阳泉市", "--period", "2022-01-01..2023-12-31")
    assert span == req and req.cities == (DEFAULT_CITY,)
    # … and its annual table's 2022 is the CLI's --year 2022, the request narrowed to that year
    # (the notebook reads whole years; the year after closes 31 December with its 00:00 label)
    one, got = cli_request(monkeypatch, "air_annual", "air", "annual", "--store", store, "--city",
                           "阳泉市", "--year", "2022")
    assert one == req.for_years(2022, 2022)
    assert len(got) == 1 and got[0]["city"] == DEFAULT_CITY
    row = analyses.city_air(req).annual.loc[2022]
    for col in STATS:
        assert same(got[0][col], float(row[col])), col


def test_air_monthly_cli_equals_the_notebooks_monthly_table(data, monkeypatch):
    req = notebook_request(data / "store", 2023, 2023)  # 11_good_days with start = end = 2023
    asked, got = cli_request(monkeypatch, "air_monthly", "air", "monthly", "--store",
                             str(data / "store"), "--year", "2023")
    assert asked == req
    table = analyses.city_air(req).monthly
    assert len(got) == len(table) == 12
    for rec, (_, row) in zip(got, table.iterrows()):
        assert rec["period"] == row["period"]
        for col in STATS:
            assert same(rec[col], float(row[col])), (rec["period"], col)


def test_air_daily_cli_equals_the_notebooks_days(data):
    got = cli("air", "daily", "--store", str(data / "store"), "--period", "2023-05")
    days = notebook_days(data / "store", 2023, 2023)
    may = days[(days["date"] >= "2023-05-01") & (days["date"] <= "2023-05-31")]
    assert [r["date"] for r in got] == list(may["date"].dt.strftime("%Y-%m-%d"))
    for rec, (_, row) in zip(got, may.iterrows()):
        for col in ("pm25", "pm10", "o3_8h_max", "aqi"):
            assert same(rec[col], float(row[col])), (rec["date"], col)
        assert rec["edition"] == row["edition"] == aqi.edition_for(rec["date"])


def test_air_hourly_cli_equals_the_aqi_of_the_stored_hours(data):
    got = cli("air", "hourly-aqi", "--store", str(data / "store"), "--period",
              "2023-01-02..2023-01-02")
    hourly, _ = analyses.read_city_hourly(notebook_request(data / "store", 2023, 2023,
                                                           as_of="2023-01-03"))
    t = hourly["time"].dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
    day = hourly[(t >= "2023-01-02") & (t < "2023-01-03")].reset_index(drop=True)
    want = aqi.compute_realtime_aqi(day, None)
    assert len(got) == len(want) == 24
    for rec, (_, row) in zip(got, want.iterrows()):
        assert same(rec["aqi"], float(row["aqi"])) and rec["edition"] == row["edition"]


def test_air_rank_cli_equals_the_ranking_notebook(data, monkeypatch):
    asked, got = cli_request(monkeypatch, "air_rank", "air", "rank", "--store", str(data / "store"),
                             "--period", "2023")
    # 12_shanxi_ranking (cities = []): the request is the CLI's; the region's days, ranked by year
    req = notebook_request(data / "store", 2023, 2023, cities=[])
    assert asked == req
    days, meta = analyses.assess_cities(req)
    assert meta["cities"] == region_cities(req.province)
    ranks, index = analyses.rank_periods(days, by="year")
    assert sorted(r["city"] for r in got) == sorted(region_cities("山西"))
    for rec in got:
        assert same(rec["composite_index"], float(index.loc["2023", rec["city"]])), rec["city"]
        assert rec["rank"] == int(ranks.loc["2023", rec["city"]]), rec["city"]


def test_a_reports_as_of_is_the_end_of_the_cli_period(data, monkeypatch):
    # as_of = 2023-06-30 cuts 10_pm25's years: the CLI asks --period 2022-01-01..2023-06-30
    req = notebook_request(data / "store", 2022, 2025, as_of="2023-06-30")
    asked, _ = cli_request(monkeypatch, "air_annual", "air", "annual", "--store",
                           str(data / "store"), "--period", "2022-01-01..2023-06-30")
    assert asked == req and analyses.request_years(req) == (2022, 2023, "2023-06-30")
    air = analyses.city_air(req)
    assert str(air.days["date"].max().date()) == "2023-06-30"
    # the cut year is a partial period, 1 January – 30 June (derive_periods)
    assert not bool(air.annual.loc[2023, "complete"])
    assert str(pd.Timestamp(air.annual.loc[2023, "last_day"]).date()) == "2023-06-30"


def test_the_ozone_and_episode_set_up_days_equal_the_cli_days(data, monkeypatch):
    # 13_ozone / 14_episodes: city_days of their request; the year shown, asked of the CLI
    req = notebook_request(data / "store", 2022, 2023)
    air = analyses.city_days(req, year=2022)
    assert air.shown == 2022
    asked, got = cli_request(monkeypatch, "air_daily", "air", "daily", "--store",
                             str(data / "store"), "--period", "2022")
    assert asked == req.for_years(2022, 2022)
    days = air.days[air.days["date"].dt.year == 2022]
    # city_days keeps the days with a value (ozone.one_location): the CLI's other days are empty
    values = ("so2", "no2", "co", "pm10", "pm25", "o3_1h_max", "o3_8h_max", "aqi")
    empty = [r for r in got if all(r[c] is None for c in values)]
    got = [r for r in got if r not in empty]
    assert len(got) + len(empty) == 365 and len(got) > 300
    assert [r["date"] for r in got] == list(days["date"].dt.strftime("%Y-%m-%d"))
    for rec, (_, row) in zip(got, days.iterrows()):
        for col in ("o3_8h_max", "pm25", "aqi"):
            assert same(rec[col], float(row[col])), (rec["date"], col)


@pytest.fixture(scope="module")
def one_year(tmp_path_factory):
    # data that end with the year: the 2022 archive alone (its last label is 2022-12-31 23:00)
    root = tmp_path_factory.mktemp("front_door_2022")
    demo.write_demo_archive(root / "arch", 2022, 2022)
    air_store.ingest(root / "arch", root / "store", progress=False)
    return root / "store"


def _station_set_up_and_cli(store):
    # 10_pm25 / 16_regions: compute_station_annual(req, year=…) = air annual --station … --year
    req = notebook_request(store, 2022, 2022)
    table, meta = analyses.compute_station_annual(req, year=2022)
    assert len(table) >= 6 and meta["edition"] == "2012"
    got = {r["station"]: r for r in cli("air", "annual", "--store", str(store),
                                        "--station", ",".join(table["station"]), "--year", "2022")}
    assert set(got) == set(table["station"])
    for _, row in table.iterrows():
        for col in ("pm25", "good_ratio", "valid_days"):
            assert same(got[row["station"]][col], float(row[col])), (row["station"], col)


def _region_set_up_and_cli(store):
    # 16_regions: city_annual_from_store(req) with the region's cities, one row per city and year
    cities = region_cities("山西")[:3]
    req = notebook_request(store, 2022, 2022, cities=cities)
    table, meta = analyses.city_annual_from_store(req)
    assert sorted(table["city"]) == sorted(cities) and set(table["year"]) == {2022}
    got = {r["city"]: r for r in cli("air", "annual", "--store", str(store), "--city",
                                     ",".join(cities), "--year", "2022")}
    for _, row in table.iterrows():
        for col in ("pm25", "pm10", "good_ratio", "valid_days"):
            assert same(got[row["city"]][col], float(row[col])), (row["city"], col)


def test_a_year_before_the_data_gets_no_row_from_the_closing_label(one_year):
    # the data start with 2022-01-01's 00:00 label, which closes 31 December 2021: reading
    # 2021 must not make a one-hour "partial 2021" row (the real example's 16_regions failed)
    cities = region_cities("山西")[:2]
    table, _ = analyses.city_annual_from_store(notebook_request(one_year, 2021, 2022,
                                                                cities=cities))
    assert set(table["year"]) == {2022}


def test_the_station_set_up_equals_the_cli_for_the_stations(one_year):
    _station_set_up_and_cli(one_year)


def test_the_region_set_up_equals_the_cli_per_city(one_year):
    _region_set_up_and_cli(one_year)


def test_the_station_set_up_equals_the_cli_when_the_data_go_on(data):
    # both read 31 December's 24th hour, the next day's 00:00 label (analyses.last_label)
    _station_set_up_and_cli(data / "store")


def test_the_region_set_up_equals_the_cli_when_the_data_go_on(data):
    _region_set_up_and_cli(data / "store")


def test_the_library_keywords_and_the_request_give_one_answer(data):
    # set-ups called the old way (keywords) build the same request and the same tables
    store = str(data / "store")
    by_kw = analyses.city_air(store, "阳泉市", start_year=2022, end_year=2023, as_of="2023-03-31")
    by_req = analyses.city_air(notebook_request(store, 2022, 2023, as_of="2023-03-31"))
    pd.testing.assert_frame_equal(by_kw.annual, by_req.annual)
    cov_kw, _ = analyses.city_coverage(store, start_year=2022, end_year=2023)
    cov_req, _ = analyses.city_coverage(notebook_request(store, 2022, 2023))
    pd.testing.assert_frame_equal(cov_kw, cov_req)
    with pytest.raises(ValueError, match="edition"):
        analyses.AirRequest.from_params(edition="2020")
    with pytest.raises(ValueError, match="as_of"):
        analyses.AirRequest.from_params(as_of="30/06/2023")


# ------------------------------------------------------------------------------ water

def _notebook_water_classes(water_dir, **params):
    # 20_water: the readings of the plan's sections for its request, classified per year
    req = analyses.WaterRequest.from_params(str(water_dir), start_year=2022, end_year=2023, by="year",
                                            **params)
    readings, _ = analyses.read_water_data(req)
    return gb3838.classify_periods(readings, by=req.by, sections=analyses.water.read_sections())


def test_water_classify_cli_equals_the_water_notebook(data, monkeypatch):
    asked, got = cli_request(monkeypatch, "water_classes", "water", "classify", "--path",
                             str(data / "water"), "--by", "year", "--period",
                             "2022-01-01..2023-12-31")
    assert asked == analyses.WaterRequest.from_params(str(data / "water"), start_year=2022,
                                                      end_year=2023, by="year")
    got = pd.DataFrame(got)
    want = _notebook_water_classes(data / "water")
    assert len(got) == len(want) > 0
    key = ["section_name", "period_label"]
    got = got.sort_values(key, ignore_index=True)
    want = want.assign(period_label=want["period_label"].astype(str)).sort_values(
        key, ignore_index=True)
    assert list(got["section_name"]) == list(want["section_name"])
    assert list(got["water_class"].astype(str)) == list(want["water_class"].astype(str))


def test_a_water_report_without_snapshots_asks_nothing():
    # data.water empty: no request, and read_water_data says so (never the shared data)
    assert analyses.WaterRequest.from_params("", start_year=2021, end_year=2025) is None
    readings, meta = analyses.read_water_data(None)
    assert readings.empty and "no water monitoring data" in meta["source"]


def test_water_as_of_cuts_the_cli_and_the_notebook_alike(data, monkeypatch):
    asked, got = cli_request(monkeypatch, "water_classes", "water", "classify", "--path",
                             str(data / "water"), "--by", "year", "--period",
                             "2022-01-01..2023-03-31")
    want = _notebook_water_classes(data / "water", as_of="2023-03-31")
    assert asked.period == "2022-01-01..2023-03-31"
    got = pd.DataFrame(got).sort_values(["section_name", "period_label"], ignore_index=True)
    want = want.assign(period_label=want["period_label"].astype(str)).sort_values(
        ["section_name", "period_label"], ignore_index=True)
    assert len(got) == len(want) > 0
    assert list(got["water_class"].astype(str)) == list(want["water_class"].astype(str))
    assert list(got["n_readings"]) == list(want["n_readings"])


def test_water_summary_cli_equals_the_plan_shares_of_the_notebook(data):
    got = cli("water", "summary", "--path", str(data / "water"), "--by", "year")
    classes = _notebook_water_classes(data / "water")
    sections = analyses.water.read_sections()["section_name"]
    want = gb3838.compute_plan_indicators(classes, section_names=list(sections))
    assert len(got) == len(want) > 0
    for rec, (_, row) in zip(got, want.iterrows()):
        for col in ("share_good_pct", "share_bad_pct"):
            assert same(rec[col], float(row[col])), col


# ------------------------------------------------------------------------------ targets, plan

def test_targets_assess_cli_equals_the_overview_notebook(tmp_path):
    # 00_plan_overview: the values of its request (no store: the plan folder's values), assessed
    req = analyses.TargetsRequest.from_params(store_dir=str(tmp_path / "no-store"))
    vals, _ = analyses.load_indicator_values(req)
    pd.testing.assert_frame_equal(vals, analyses.plan_values(req).values)
    want = targets.assess_plan(vals)
    f = tmp_path / "values.csv"
    vals[["indicator_id", "year", "value"]].to_csv(f, index=False)
    got = cli("targets", "assess", "--values", str(f))
    assert [r["indicator_id"] for r in got] == list(want["indicator_id"])
    for rec, (_, row) in zip(got, want.iterrows()):
        assert rec["verdict"] == row["verdict"]
        for col in ("latest_value", "margin", "trend_slope", "probability_met"):
            assert same(rec[col], None if pd.isna(row[col]) else float(row[col])), col


def test_the_plan_value_request_measures_what_the_keywords_measure(data, tmp_path):
    # 00 / 40 / 50: TargetsRequest.from_params → load_indicator_values = the keyword call, and a
    # values file written by the run is read back unchanged
    params = dict(store_dir=str(data / "store"), water_dir=str(data / "water"),
                  as_of="2023-06-30", dust="estimate", plan="14th")
    req = analyses.TargetsRequest.from_params(**params)
    assert req.air == analyses.AirRequest.from_params(store_dir=params["store_dir"],
                                                      as_of="2023-06-30", dust="estimate")
    got, meta = analyses.load_indicator_values(req)
    want, _ = analyses.compute_indicator_values(params["store_dir"], water_dir=params["water_dir"],
                                                as_of="2023-06-30", dust="estimate", plan="14th")
    pd.testing.assert_frame_equal(got, want)
    assert {"1", "2", "3", "4", "5"} <= set(got.loc[got["year"] == 2022, "indicator_id"])
    f = analyses.write_indicator_values(tmp_path / "values.csv", params["store_dir"],
                                        water_dir=params["water_dir"], as_of="2023-06-30",
                                        dust="estimate", plan="14th")
    read = analyses.plan_values(analyses.TargetsRequest.from_params(str(f), **{
        k: v for k, v in params.items() if k != "plan"}, plan="14th"))
    assert list(read.values["value"]) == pytest.approx(list(want["value"]))
    assert read.edition == meta["edition"]


def test_targets_trend_cli_equals_the_indicator_notebooks_slope():
    got = {r["test"]: r for r in cli("targets", "trend", "--indicator", "1")}
    # 40_indicator: assess_indicator_series → the assessment's Theil–Sen trend
    series = analyses.indicator_series(targets.values_from_figures(), "1")
    assessed = analyses.assess_indicator_series("1", series)
    theil = next(r for k, r in got.items() if "theil" in k.lower() or "sen" in k.lower())
    assert same(theil["slope"], assessed.trend.slope)


def test_plan_gaps_and_final_cli_equal_the_library_calls():
    assert cli("plan", "gaps") == json.loads(values.value_gaps().to_json(
        orient="records", force_ascii=False, date_format="iso"))
    fa = final.final_assessment()
    want = final.final_tables(fa, "zh")["indicators"]
    assert cli("plan", "final") == json.loads(want.to_json(orient="records", force_ascii=False,
                                                           date_format="iso"))


def test_the_request_keeps_its_objects(data):
    req = analyses.AirRequest(cities=("阳泉市",), period="2023", store=str(data / "store"))
    assert req.cities == ("阳泉",)
    res = analyses.air_annual(req)
    assert isinstance(res.stats[0], airstats.PeriodStats)
    rank = analyses.air_rank(analyses.AirRequest(period="2023", store=str(data / "store")))
    assert isinstance(rank.ranking, airstats.Ranking)


# ------------------------------------------------------------------------------ rules exist once

def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _module_name(path):
    return ".".join(("yqplan",) + path.relative_to(PACKAGE).with_suffix("").parts)


def test_no_module_uses_another_modules_private_name():
    """``from x import _y`` and ``x._y`` across modules are refused.

    A module whose own file name starts with ``_`` (``yqplan._io``, ``yqplan._schema``,
    ``yqplan.air._fastcsv``) is package-internal: importing the module is allowed, its
    private names are not.
    """
    bad = []
    for path, tree in _modules():
        aliases = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("yqplan"):
                for a in node.names:
                    target = f"{node.module}.{a.name}"
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        is_module = (PACKAGE.parent / (target.replace(".", "/") + ".py")).exists()
                        if not is_module:
                            bad.append(f"{path.name}:{node.lineno} from {node.module} import {a.name}")
                    aliases[a.asname or a.name] = target
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("yqplan"):
                        aliases[a.asname or a.name] = a.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                    and node.value.id in aliases):
                bad.append(f"{path.name}:{node.lineno} {node.value.id}.{node.attr}")
    assert not bad, "private names used across modules:\n" + "\n".join(bad)


def test_every_public_module_lists_its_api_and_every_listed_name_exists():
    import importlib

    missing, wrong = [], []
    for path, tree in _modules():
        name = _module_name(path)
        if path.name.startswith("_"):
            continue
        has = any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__"
                                                    for t in n.targets) for n in tree.body)
        if not has:
            missing.append(name)
            continue
        mod = importlib.import_module(name)
        wrong += [f"{name}.{n}" for n in mod.__all__ if not hasattr(mod, n)]
    assert not missing, f"no __all__: {missing}"
    assert not wrong, f"listed but absent: {wrong}"


def _string_constants(tree):
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)
                  and isinstance(n.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and id(node) not in docstrings):
            yield node


def test_the_default_city_is_written_once():
    found = []
    for path, tree in _modules():
        if path.name == "cities.py":
            continue
        found += [f"{path.relative_to(PACKAGE)}:{n.lineno}" for n in _string_constants(tree)
                  if n.value in ("阳泉", "阳泉市")]
    assert not found, "write yqplan.air.cities.DEFAULT_CITY(_FULL) instead: " + ", ".join(found)


def test_the_city_suffix_is_stripped_by_one_function():
    pattern = re.compile(r"""(removesuffix|endswith|rstrip)\(\s*["']市["']""")
    found = [f"{p.relative_to(PACKAGE)}:{i}" for p, _ in _modules() if p.name != "cities.py"
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if pattern.search(line)]
    assert not found, "use yqplan.air.cities.normalise_city: " + ", ".join(found)
    assert normalise_city(" 阳泉市 ") == "阳泉" and normalise_city("阳泉") == "阳泉"
    assert normalise_city("1738A") == "1738A"


def test_shanxi_membership_is_the_shipped_region_only():
    shanxi = set(region_cities("山西"))
    assert len(shanxi) == 11 and DEFAULT_CITY in shanxi
    assert not hasattr(airstats, "PROVINCE_CITIES")
    # no module spells the list out; the demo's synthetic levels must cover exactly the region
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                names = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert len(names & shanxi) < 5, f"{path.name}:{node.lineno} lists Shanxi's cities"
    assert set(demo.SHANXI_CITIES) == shanxi
    assert list(analyses.shanxi_cities()) == region_cities("山西")


def test_the_edition_switch_is_read_only_by_the_aqi_module():
    found = [f"{p.relative_to(PACKAGE)}:{n.lineno}" for p, tree in _modules() if p.name != "aqi.py"
             for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and n.attr == "EDITION_SWITCH"]
    assert not found, "decide a day's edition with yqplan.air.aqi.edition_for: " + ", ".join(found)


def test_one_unit_rule():
    from yqplan.plan import tables

    assert values.same_unit is tables.same_unit
    assert tables.same_unit("μg / m³", "\u00b5g/m3") and not tables.same_unit("mg/m³", "μg/m³")


def test_one_ranking_rule():
    # ties share the better rank; NaN has none (hand-made: 1.0, 2.0, 2.0, 3.0, NaN)
    s = pd.Series({"a": 3.0, "b": 2.0, "c": 2.0, "d": 1.0, "e": float("nan")})
    assert airstats.composite_ranks(s).tolist()[:4] == [4.0, 2.0, 2.0, 1.0]
    assert math.isnan(airstats.composite_ranks(s)["e"])


def test_no_projection_is_rebuilt_from_a_scoreboard_row():
    # the assessment keeps its ProjectionResult (tests/test_scoreboard.py); nothing rebuilds one
    src = (PACKAGE / "analyses.py").read_text(encoding="utf-8")
    assert "inspect.signature" not in src
    assert not hasattr(analyses, "extract_projection")
    root = PACKAGE.parent
    users = [str(f.relative_to(root)) for d in ("yqplan", "notebooks", "docs")
             for f in sorted((root / d).rglob("*")) if f.suffix in (".py", ".ipynb", ".md")
             and "extract_projection" in f.read_text(encoding="utf-8")]
    assert users == []
    a = analyses.assess_indicator_series("3", pd.Series({2021: 1.1, 2022: 0.7}))
    assert a.projection is None or a.projection.confidence == pytest.approx(0.90)


# ------------------------------------------------------------------------------ the run's dust

#: Calls that compute PM figures from days: each must receive the run's ``dust``.
DUST_CALLS = {"assess_air", "city_annual_from_store", "rank_region", "rank_cities",
              "compute_station_annual", "compare_editions", "compute_air_annual",
              "compute_indicator_values", "write_indicator_values", "assess_cities",
              "city_air", "city_days", "load_indicator_values", "plan_values",
              "compute_dust_comparison"}


def test_every_notebook_passes_the_runs_dust_to_every_pm_computation():
    missing = []
    for nb in sorted((PACKAGE.parent / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        src = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        tree = ast.parse(src)
        # a request built from the parameters with dust=dust carries the run's dust
        carriers = {t.id for n in ast.walk(tree) if isinstance(n, ast.Assign)
                    and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Attribute)
                    and (n.value.func.attr == "for_years"
                         or n.value.func.attr == "from_params"
                         and any(k.arg == "dust" for k in n.value.keywords))
                    for t in n.targets if isinstance(t, ast.Name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in DUST_CALLS \
                    and not any(k.arg == "dust" for k in node.keywords) \
                    and not any(isinstance(a, ast.Name) and a.id in carriers for a in node.args):
                missing.append(f"{nb.stem}: {node.func.attr} (line {node.lineno})")
    assert not missing, "the run's dust does not reach: " + ", ".join(missing)


def test_the_region_table_deducts_the_dust_it_is_given(data):
    none, meta = analyses.city_annual_from_store(data / "store", [DEFAULT_CITY], [2022])
    est, meta_est = analyses.city_annual_from_store(data / "store", [DEFAULT_CITY], [2022],
                                                    dust="estimate")
    assert meta["dust"] == "none" and meta_est["dust"] == "estimate"
    # estimated dust days have PM10 >= 150 µg/m³ (yqplan.air.stats.DUST_PM10_MIN), far above the
    # annual mean: deducting them lowers PM10, and they are counted
    assert int(est["dust_days"].iloc[0]) > 0 == int(none["dust_days"].iloc[0])
    assert float(est["pm10"].iloc[0]) < float(none["pm10"].iloc[0])


def test_year_coverage_and_the_verdicts_share_one_partial_year_rule():
    from yqplan.air import periods, seasons

    # ends 15 December: 349 days, twelve months — complete for the verdicts (>= 324 days,
    # GB 3095 Table 4), so complete for the region/ozone/editions reports too (a span rule
    # with a week's tolerance used to call it partial)
    late = pd.date_range("2022-01-01", "2022-12-15")
    # every day of 2023 but 50 days in spring: spans the year, yet 315 < 324 days
    holes = pd.date_range("2023-01-01", "2023-12-31").delete(range(60, 110))
    for dates, complete in ((late, True), (holes, False)):
        days = pd.DataFrame({"city": DEFAULT_CITY, "date": dates, "aqi": 50.0})
        year = int(dates[0].year)
        assert periods.derive_periods(days)[year].complete is complete
        cov = seasons.year_coverage(dates).set_index("year")
        assert bool(cov.loc[year, "partial"]) is (not complete)


def test_imports_inside_functions_say_why():
    """yqplan's own modules and the standard library are imported at the top; an import
    inside a function is a heavy library imported on use, and says so in a comment."""
    quiet = []
    for path, tree in _modules():
        name = _module_name(path)
        if name.startswith("yqplan.report") or name == "yqplan":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and \
                        "#" not in " ".join(lines[node.lineno - 1:node.end_lineno]):
                    quiet.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not quiet, "move to the top, or say why it is imported on use: " + ", ".join(quiet)
