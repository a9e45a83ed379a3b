"""The report run: validated parameters → papermill in parallel processes → offline HTML.

``yqplan report --params FILE`` (and ``make report``) calls :func:`run_reports`:

1. **Validate** the parameter file and every report's parameters against the typed
   schema of its notebook (:data:`NOTEBOOKS`, pydantic models, ``extra="forbid"``,
   strict types) *before anything runs*.  An unknown or mistyped parameter is a
   :class:`ParamsError` that names it and lists the valid ones (papermill itself
   only warns about unknown parameters and never checks types).
2. **Prepare the data**: on demonstration parameters, generate the synthetic air
   archive and water snapshots and ingest the archive
   (:func:`yqplan.air.demo.ensure_demo_store`) when missing.
3. **Execute** every notebook with papermill in a worker *process*
   (papermill's ``cwd`` changes the process directory, so threads would race),
   with a per-cell timeout and a progress bar.  Each worker keeps one kernel and runs
   its notebooks in it, reset between them (:mod:`yqplan.report._kernels`; a failed
   notebook's kernel is replaced); ``fresh_kernels`` starts one per notebook.  One
   failing notebook does not stop the others.
4. **Render** each executed notebook to one self-contained HTML file without code
   cells, with a header and a provenance block (:mod:`yqplan.report.render`).
5. **Index and verdicts**: the parent process computes the plan indicators' values
   once (:func:`yqplan.analyses.write_indicator_values`) while the workers start on
   the air and water reports, hands them to the notebooks that need them
   (``values_file``) and writes the scoreboard of :func:`yqplan.plan.targets.assess_plan`
   as ``verdicts.json`` / ``verdicts.csv``; ``index.html`` links every report with
   its status and error.
6. **Switch atomically**: the run is built in ``reports/runs/.<run-id>.partial``,
   renamed to ``reports/runs/<run-id>`` when complete, and only then
   ``reports/latest`` (a relative symlink) is replaced in one ``os.replace`` — only
   when every report and the scoreboard succeeded (a run with failures is kept and
   says where ``latest`` stays); an interrupted run leaves the previous complete run
   in place.  Then the oldest complete runs beyond ``keep_runs`` are removed
   (:func:`prune_runs`; never the newest successful run nor the one ``latest`` shows).

The command exits non-zero when any report (or the scoreboard) failed.  Workers and
their kernels die with the run (SIGINT, SIGTERM, or SIGKILL of the parent).

What the notebooks call lives in :mod:`yqplan.analyses` (tables) and
:mod:`yqplan.report.present` (words, tables and sentences for the reader).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import json
import os
import shutil
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from yqplan import analyses, config
from yqplan.air.cities import DEFAULT_CITY, normalise_city
from yqplan.report import render
from yqplan.report.present import MIME_PROVENANCE, TEXT

# --------------------------------------------------------------------------------------
# Typed parameters: one pydantic model per notebook.  The notebook's `parameters` cell
# holds exactly these names with these defaults (tests/test_notebooks.py checks it).
# --------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _check_as_of(v):
    # YAML reads an unquoted 2025-12-31 as a date: accept it, keep the ISO text.
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str) and v:
        try:
            _dt.date.fromisoformat(v)
        except ValueError:
            raise ValueError(f"as_of must be an ISO date YYYY-MM-DD or empty, got {v!r}") from None
    return v


class _RunWide(_Strict):
    """What a run sets for every notebook (and a notebook may override).

    ``edition`` is the air-quality standard edition ("2012" = GB 3095—2012 /
    HJ 633—2012 / HJ 663—2013, "2026" = the 2026 editions; "auto" = the edition in
    force on each day assessed, :func:`yqplan.air.aqi.edition_for`: 2012 before 2026-03-01).
    ``as_of`` is the last date the report reads (ISO ``YYYY-MM-DD``; "" = everything in
    the store).  ``dust`` is the dust deduction (环办监测〔2016〕120号): ``none``,
    ``estimate`` (estimated dust days, labelled as an estimate) or the path of a CSV of
    official dust days (``city,date``; :func:`yqplan.air.stats.read_dust_days`, see
    ``docs/run_settings.md``).  ``edition`` and ``dust`` apply to every report of a run
    (a report may not set them differently, :func:`expand_jobs`).
    """

    language: Literal["zh", "en"] = "zh"
    edition: Literal["auto", "2012", "2026"] = "auto"
    as_of: str = ""
    city: str = DEFAULT_CITY
    dust: str = "none"

    @field_validator("as_of", mode="before")
    @classmethod
    def _iso_date(cls, v):
        return _check_as_of(v)


class CommonParams(_RunWide):
    """Parameters every notebook takes: the run-wide ones, ``store_dir`` and ``plan_id``.

    Empty paths mean the defaults of :mod:`yqplan.config`.  ``plan_id`` is the run's
    ``plan`` setting: a plan folder under ``data/plans`` (or a path to one).
    """

    store_dir: str = ""
    plan_id: str = "14th"


class PlanOverviewParams(CommonParams):
    """``00_plan_overview``: the scoreboard of all indicators and the key projects in numbers.

    ``values_file``: indicator values already computed (:func:`yqplan.analyses.write_indicator_values`;
    the pipeline fills it so the values are computed once per run); "" = compute here.
    """

    water_dir: str = ""
    values_file: str = ""


class PM25Params(CommonParams):
    """``10_pm25``: PM2.5 against the plan target (years ``start_year``–``end_year``).

    The dust deduction is the run's (``dust``, a run-wide setting since issue 12).
    """

    start_year: int = 2015
    end_year: int = 2025


class GoodDaysParams(CommonParams):
    """``11_good_days``: good-day ratio and heavy-pollution days; ``year`` for the calendar.

    In a parameter file ``year: 0`` means the latest whole calendar year in the store (the run
    resolves it, :func:`check_against_store`, before the notebook starts).
    """

    start_year: int = 2015
    end_year: int = 2025
    year: int = 2025


class RankingParams(CommonParams):
    """``12_shanxi_ranking``: composite-index rank of ``cities`` by month and year.

    ``cities``: the cities ranked, as the CNEMC archive names them; ``[]`` = Shanxi's 11
    prefecture-level cities (:func:`yqplan.analyses.shanxi_cities`).
    """

    start_year: int = 2021
    end_year: int = 2025
    cities: list[str] = []


class WaterParams(CommonParams):
    """``20_water``: sections × months, shares of I–III and 劣V; ``water_dir`` = snapshots."""

    water_dir: str = ""
    start_year: int = 2021
    end_year: int = 2025


class ProjectsParams(CommonParams):
    """``30_projects``: the key projects of Tables 13-1/2/3 (plan tables only)."""


class FinalParams(CommonParams):
    """``50_final_assessment``: the final assessment (终期评估) for the plan's target year.

    ``values_file`` as for the overview (indicator values measured here; entered values
    in the plan folder take precedence); ``docx_dir``: where the Word version goes (the
    pipeline sets the run folder; "" = none); ``as_of``: the ledger date ("" = the end
    of the plan period).
    """

    water_dir: str = ""
    values_file: str = ""
    docx_dir: str = ""


class IndicatorParams(CommonParams):
    """``40_indicator``: one indicator in depth, ``indicator_id`` as printed ("1" … "10.5")."""

    indicator_id: str = "1"
    water_dir: str = ""
    values_file: str = ""


class OzoneParams(CommonParams):
    """``13_ozone``: O3 8h against the limit by year and month, the warm season, non-good days."""

    start_year: int = 2015
    end_year: int = 2025
    year: int = 2025


class EpisodesParams(CommonParams):
    """``14_episodes``: exceedance days, runs of days with AQI above ``level``, 秋冬季 campaigns."""

    start_year: int = 2015
    end_year: int = 2025
    year: int = 2025
    level: int = 200


class TimeVariationParams(CommonParams):
    """``15_time_variation``: diurnal, weekday and monthly profiles of ``pollutant`` (hourly
    column) split by ``split``, the hour × month map and a calendar of ``year``;
    ``n_resamples`` and ``seed`` set the bootstrap intervals."""

    start_year: int = 2015
    end_year: int = 2025
    year: int = 2025
    pollutant: Literal["o3", "pm25", "pm10", "no2", "so2", "co", "aqi"] = "o3"
    split: Literal["none", "year", "season", "warm", "heating"] = "warm"
    n_resamples: int = 200
    seed: int = 20230101


class RegionsParams(CommonParams):
    """``16_regions``: the city against the regions of ``data/air/regions.csv`` (``region_names``:
    the names compared, [] = all), the composite-index ranking of ``region`` in ``year``, and
    the national stations of ``year``."""

    start_year: int = 2021
    end_year: int = 2025
    year: int = 2025
    region: str = "山西"
    region_names: list[str] = []


class CoverageParams(CommonParams):
    """``18_data_coverage``: the share of hours with data by year and month (``start_year``–``end_year``)."""

    start_year: int = 2015
    end_year: int = 2025


class EditionsParams(CommonParams):
    """``17_editions``: every year under HJ 633—2012 and HJ 633—2026 side by side."""

    start_year: int = 2015
    end_year: int = 2025


#: notebook stem → parameter model.  Order = order in the index.
NOTEBOOKS: dict[str, type[BaseModel]] = {
    "00_plan_overview": PlanOverviewParams,
    "10_pm25": PM25Params,
    "11_good_days": GoodDaysParams,
    "12_shanxi_ranking": RankingParams,
    "20_water": WaterParams,
    "30_projects": ProjectsParams,
    "40_indicator": IndicatorParams,
    "50_final_assessment": FinalParams,
    "13_ozone": OzoneParams,
    "14_episodes": EpisodesParams,
    "15_time_variation": TimeVariationParams,
    "16_regions": RegionsParams,
    "17_editions": EditionsParams,
    "18_data_coverage": CoverageParams,
}


class DataSettings(_Strict):
    """Where the data come from.

    ``source: demo`` generates the synthetic archive into ``archive`` (default
    ``yqplan.config.demo_dir()``) and ingests it into ``store`` (default
    ``yqplan.config.demo_store_dir()``) when missing; ``source: store`` uses an existing store
    (default ``yqplan.config.store_dir()``), ingesting ``archive`` first when given.
    Relative paths are taken from the project root.
    """

    source: Literal["demo", "store"] = "demo"
    archive: str = ""
    store: str = ""
    water: str = ""


class RunSettings(_RunWide):
    """The parameter file: run-wide settings plus ``reports`` (name → parameters).

    A report's parameters may name its ``notebook`` (default: the report name) and
    a ``for_each`` mapping of one parameter to a list of values, which makes one
    report per value (``40_indicator`` once per indicator).  ``keep_runs``: how many
    complete runs stay in ``reports/runs/`` after a run (the oldest go, once the new
    ``latest`` is in place; 0 keeps every run).  ``plan``: the plan assessed (a folder
    under ``data/plans``, default ``14th``), given to every notebook as ``plan_id``.
    """

    title: str = ""
    plan: str = "14th"
    data: DataSettings = DataSettings()
    jobs: int = 2
    timeout: int = 600
    keep_runs: int = 10
    reports: dict[str, dict[str, Any]]

    @field_validator("keep_runs")
    @classmethod
    def _non_negative(cls, v):
        if v < 0:
            raise ValueError(f"keep_runs must be 0 (keep every run) or more, got {v}")
        return v


class ParamsError(ValueError):
    """A parameter file that cannot run: every problem, one per line, with the valid names."""


@dataclasses.dataclass(frozen=True)
class Job:
    """One report to make: ``name`` (file stem of its HTML), its notebook and validated parameters."""

    name: str
    notebook: str
    params: dict


def _describe_errors(where: str, model: type[BaseModel], exc: ValidationError) -> list[str]:
    valid = ", ".join(f"{k} ({_type_name(f.annotation)})" for k, f in model.model_fields.items())
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        if err["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown parameter {loc!r}; valid parameters: {valid}")
        elif err["type"] == "missing":
            lines.append(f"{where}: missing parameter {loc!r}; valid parameters: {valid}")
        else:
            lines.append(f"{where}: parameter {loc!r}: {err['msg']} "
                         f"(got {err.get('input')!r}); valid parameters: {valid}")
    return lines


def _type_name(annotation) -> str:
    text = getattr(annotation, "__name__", None) or str(annotation)
    return text.replace("typing.", "")


def _resolve_path(value: str, default: Path) -> Path:
    if not value:
        return default
    p = Path(value).expanduser()
    return p if p.is_absolute() else config.project_root() / p


def read_params(path, registry: dict[str, type[BaseModel]] | None = None
                ) -> tuple[RunSettings, list[Job]]:
    """Read and validate a parameter file; return the settings and the expanded jobs.

    Parameters
    ----------
    path : path-like
        A YAML file as described in :class:`RunSettings` (see ``params/demo.yaml``).
    registry : dict, optional
        Notebook stem → parameter model (default :data:`NOTEBOOKS`).

    Returns
    -------
    settings : RunSettings
    jobs : list of Job
        One per report, with every notebook parameter filled (run-wide ``language``,
        ``edition``, ``as_of``, ``city``, resolved ``store_dir`` and ``water_dir``
        unless the report sets them) and validated against the notebook's model.

    Raises
    ------
    ParamsError
        Listing every unknown, missing or mistyped parameter with the valid names,
        before anything runs.
    FileNotFoundError
        When ``path`` does not exist.
    """
    import yaml

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: parameter file not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: e.g. a date 2025-13-01
        raise ParamsError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ParamsError(f"{path}: expected a mapping of settings, found {type(raw).__name__}")
    try:
        settings = RunSettings.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            model = DataSettings if loc.startswith("data.") else RunSettings
            valid = ", ".join(model.model_fields)
            what = "unknown setting" if err["type"] == "extra_forbidden" else err["msg"]
            lines.append(f"{path}: {loc!r}: {what}; valid settings: {valid}")
        raise ParamsError("\n".join(lines)) from None
    jobs, errors = expand_jobs(settings, where=str(path), registry=registry)
    if not errors:
        errors = check_choices(settings, jobs, where=str(path))
    if errors:
        raise ParamsError("\n".join(errors))
    return settings, jobs


def check_choices(settings: RunSettings, jobs: list[Job], where: str = "params") -> list[str]:
    """Values checked against the plan and the shipped lists, before anything runs.

    ``indicator_id`` must be one of the plan's indicators (:func:`yqplan.plan.tables.read_indicators`);
    ``city`` and ``cities`` must be Shanxi cities as the archive names them
    (:func:`yqplan.air.cnemc.read_shanxi_cities`; the plan is Yangquan's, the ranking Shanxi's);
    ``start_year`` must not be after ``end_year``.  Returns the error lines (each with the
    valid choices); :func:`check_against_store` checks the store once it is ready.
    """
    from yqplan.air import cnemc
    from yqplan.plan import tables as plan

    errors = []
    ids = list(plan.read_indicators()["indicator_id"])
    shanxi = list(cnemc.read_shanxi_cities()[0]["city"])
    for j in jobs:
        p, at = j.params, f"{where}: report {j.name!r}"
        if "indicator_id" in p and str(p["indicator_id"]) not in ids:
            errors.append(f"{at}: indicator_id {p['indicator_id']!r} is not an indicator of the "
                          f"plan; valid: {', '.join(ids)}")
        names = ([p["city"]] if "city" in p else []) + list(p.get("cities") or [])
        for c in dict.fromkeys(normalise_city(n) for n in names):
            if c not in shanxi:
                errors.append(f"{at}: city {c!r} is not a Shanxi city as the archive names "
                              f"it; valid: {', '.join(shanxi)}")
        if p.get("start_year", 0) > p.get("end_year", 10_000):
            errors.append(f"{at}: start_year {p['start_year']} is after end_year {p['end_year']}")
    return list(dict.fromkeys(errors))  # the run-wide city once, not once per report


def _store_span(store: Path, as_of: str = "") -> tuple[set, _dt.date | None, _dt.date | None]:
    # city names and first/last day of the city data in the store (manifest only)
    from yqplan.air import store as store_mod

    man = store_mod.read_manifest(store)
    days = sorted(e["day"] for e in man["files"].values()
                  if e.get("kind") == "cities" and e.get("status") in store_mod.DATA_STATUSES
                  and e.get("day"))
    locs = set()
    for key, info in (man.get("partitions") or {}).items():
        if key.startswith("cities/"):
            locs.update(info.get("locations") or [])
    if not days:
        return locs, None, None
    first, last = _dt.date.fromisoformat(days[0]), _dt.date.fromisoformat(days[-1])
    if as_of:
        last = min(last, _dt.date.fromisoformat(as_of))
    return locs, first, last


def _latest_whole_year(first: _dt.date, last: _dt.date) -> int:
    """The latest calendar year inside ``first``–``last``; ``last.year`` when none is whole.

    Cheap (the store's day span only): whether that year also passes the annual count is
    the reports' :func:`yqplan.air.periods.derive_periods`, which labels it either way.
    """
    whole = [y for y in range(first.year, last.year + 1)
             if first <= _dt.date(y, 1, 1) and _dt.date(y, 12, 31) <= last]
    return max(whole) if whole else last.year


def check_against_store(settings: RunSettings, jobs: list[Job], store: Path,
                        where: str = "params") -> list[Job]:
    """Check cities and years against the store's data, before any notebook starts.

    Every city named must have data in the store; a report's ``start_year``–``end_year``
    must overlap the data's years (up to ``as_of``); a single ``year`` (11_good_days'
    calendar) must have data, and ``year: 0`` becomes the latest year the data cover from
    1 January to 31 December (:func:`_latest_whole_year`), so a report's "year" is never a
    year-to-date period unless the data hold nothing else.

    Returns
    -------
    list of Job
        ``jobs`` with ``year: 0`` resolved.

    Raises
    ------
    ParamsError
        Listing every problem with the valid choices (the store's cities, its years).
    """
    locs, first, last = _store_span(Path(store), settings.as_of)
    if first is None or last < first:
        raise ParamsError(f"{where}: the store {store} holds no city data"
                          + (f" up to as_of {settings.as_of}" if settings.as_of else ""))
    span = f"{first.year}–{last.year} (data {first} … {last})"
    errors, out = [], []
    for j in jobs:
        p, at = dict(j.params), f"{where}: report {j.name!r}"
        names = ([p["city"]] if "city" in p else []) + list(p.get("cities") or [])
        for c in dict.fromkeys(normalise_city(n) for n in names):
            if locs and c not in locs:
                errors.append(f"{at}: city {c!r} has no data in the store {store}")
        if "start_year" in p and "end_year" in p and (
                p["end_year"] < first.year or p["start_year"] > last.year):
            errors.append(f"{at}: years {p['start_year']}–{p['end_year']} have no data in the "
                          f"store; its years: {span}")
        if "year" in p:
            if p["year"] == 0:
                p["year"] = _latest_whole_year(first, last)
            elif not first.year <= p["year"] <= last.year:
                errors.append(f"{at}: year {p['year']} has no data in the store; valid: "
                              f"{span}, or 0 for the latest")
        out.append(dataclasses.replace(j, params=p))
    if errors:
        raise ParamsError("\n".join(dict.fromkeys(errors)))
    return out


def data_paths(settings: RunSettings) -> dict[str, Path | None]:
    """The archive, store and water folders a run uses, with the defaults filled in."""
    d = settings.data
    if d.source == "demo":
        archive = _resolve_path(d.archive, config.demo_dir())
        store = _resolve_path(d.store, config.demo_store_dir())  # never the real data's store
    else:
        archive = _resolve_path(d.archive, Path()) if d.archive else None
        store = _resolve_path(d.store, config.store_dir())
    water = _resolve_path(d.water, Path()) if d.water else None
    if water is None and d.source == "demo":
        water = archive / "water"  # synthetic snapshots, made by prepare_data
    return {"archive": archive, "store": store, "water": water}


#: Settings that apply to every report of a run: one PM2.5 figure, one edition per day.
RUN_ONLY = ("dust", "edition")


def resolve_dust_setting(dust: str, where: str = "params") -> tuple[str, list[str]]:
    """The run's ``dust`` as the notebooks take it, and error lines.

    ``none`` and ``estimate`` stay; anything else is the path of a CSV of official dust
    days (relative to the project root), read now so a bad file is refused before the
    run with its file, line and field (:func:`yqplan.air.stats.read_dust_days`).
    """
    if dust in ("none", "estimate"):
        return dust, []
    if not dust:
        return "none", [f"{where}: 'dust': empty; expected none, estimate or the path of a "
                        "CSV of dust days (city,date)"]
    from yqplan.air import stats as airstats

    path = _resolve_path(dust, Path())
    try:
        airstats.read_dust_days(path)
    except (FileNotFoundError, ValueError) as exc:
        return str(path), [f"{where}: 'dust': {exc}"]
    return str(path), []


def _plain_file_stem(name: str) -> bool:
    """A name usable as a file in the run folder and as a relative link (no path, no scheme)."""
    return bool(name) and not name.startswith(".") and not any(
        c in "/\\:" or ord(c) < 32 or ord(c) == 127 for c in name)


def expand_jobs(settings: RunSettings, where: str = "params",
                registry: dict[str, type[BaseModel]] | None = None) -> tuple[list[Job], list[str]]:
    """Turn ``settings.reports`` into validated :class:`Job` s; return (jobs, error lines)."""
    registry = NOTEBOOKS if registry is None else registry
    paths = data_paths(settings)
    dust, errors = resolve_dust_setting(settings.dust, where)
    run_wide = {"language": settings.language, "edition": settings.edition,
                "as_of": settings.as_of, "city": settings.city, "dust": dust,
                "store_dir": str(paths["store"]), "plan_id": settings.plan,
                "water_dir": str(paths["water"]) if paths["water"] else ""}
    jobs = []
    for name, given in settings.reports.items():
        given = dict(given or {})
        for key in RUN_ONLY:
            if key in given and given[key] != getattr(settings, key):
                errors.append(f"{where}: report {name!r}: {key!r} is a run-wide setting (every "
                              f"report of a run uses the same); set `{key}: {given[key]}` at the "
                              f"top of the file instead (now {getattr(settings, key)!r})")
            given.pop(key, None)
        notebook = given.pop("notebook", name)
        if notebook not in registry:
            errors.append(f"{where}: report {name!r}: unknown notebook {notebook!r}; "
                          f"notebooks: {', '.join(registry)}")
            continue
        model = registry[notebook]
        for_each = given.pop("for_each", None) or {}
        if not isinstance(for_each, dict) or len(for_each) > 1 or any(
                not isinstance(v, list) for v in for_each.values()):
            errors.append(f"{where}: report {name!r}: for_each must map one parameter to a list")
            continue
        variants = ([(f"{name}-{v}", {k: v}) for k, vals in for_each.items() for v in vals]
                    or [(name, {})])
        for job_name, extra in variants:
            if not _plain_file_stem(job_name):
                errors.append(f"{where}: report {job_name!r}: a report's name (with its for_each value) "
                              "is its HTML file's name: no '/', '\\', ':', control characters or leading '.'")
                continue
            params = {k: v for k, v in run_wide.items() if k in model.model_fields}
            params.update(given)
            params.update(extra)
            try:
                validated = model.model_validate(params)
            except ValidationError as exc:
                errors.extend(_describe_errors(f"{where}: report {job_name!r}", model, exc))
                continue
            jobs.append(Job(job_name, notebook, validated.model_dump(mode="json")))
    names = [j.name for j in jobs]
    for dup in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"{where}: report name {dup!r} appears twice")
    return jobs, errors


# --------------------------------------------------------------------------------------
# Data preparation (the demo path)
# --------------------------------------------------------------------------------------

def prepare_data(settings: RunSettings, log=print) -> dict:
    """Make sure the store the reports read exists; on demo settings, build it.

    On ``data.source: demo``: :func:`yqplan.air.demo.ensure_demo_store` writes the
    synthetic archive and water snapshots when they are missing and ingests the
    archive into the store (incremental: a second run re-reads nothing).  On ``data.source: store`` with ``data.archive``
    set, the archive is ingested (incrementally) with :func:`yqplan.air.store.ingest`.
    Returns the resolved paths and what was done (for the run record).
    """
    paths = data_paths(settings)
    done = []
    archive, store = paths["archive"], paths["store"]
    t0 = time.perf_counter()
    if settings.data.source == "demo":
        from yqplan.air import demo

        water = paths["water"]
        if not analyses.store_present(store) or not (archive / "SYNTHETIC.json").is_file():
            log(f"yqplan report: preparing the synthetic demonstration data in {archive} "
                f"and the store {store} …")
        summary = demo.ensure_demo_store(archive, store, water_dir=water, progress=False)
        done.append(f"demo store ready: {summary.get('files_read', 0)} new files read "
                    f"({time.perf_counter() - t0:.1f} s)")
        if summary.get("water_written"):
            done.append(f"synthetic water snapshots written to {water}")
    elif archive is not None:
        from yqplan.air import store as store_mod

        log(f"yqplan report: ingesting {archive} into the store {store} …")
        summary = store_mod.ingest(archive, store, progress=False)
        done.append(f"store updated: {summary.get('files_read', 0)} new files read "
                    f"({time.perf_counter() - t0:.1f} s)")
    if not analyses.store_present(store):
        raise FileNotFoundError(f"data.store: no air store at {store}; run `yqplan air ingest "
                                f"ARCHIVE --store {store}` or set data.archive")
    return {**{k: (str(v) if v else "") for k, v in paths.items()}, "prepared": done}


# --------------------------------------------------------------------------------------
# Executing one report (runs in a worker process)
# --------------------------------------------------------------------------------------

def _notebook_provenance(nb) -> dict | None:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME_PROVENANCE in data:
                rec = data[MIME_PROVENANCE]
                return json.loads(rec) if isinstance(rec, str) else dict(rec)
    return None


def _papermill_error(nb) -> str:
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return f"{out.get('ename')}: {out.get('evalue')}"
    return ""


def execute_job(job: dict) -> dict:
    """Execute one report's notebook and render it; never raises (errors go in the result).

    ``job`` keys: ``name``, ``notebook`` (path), ``params``, ``run_dir``, ``timeout``,
    ``language``, ``run_id``, ``title``.  In a worker that keeps a kernel
    (:func:`_worker_init`) the notebook runs in it, and a failure replaces the kernel;
    elsewhere papermill starts one for it.  Returns a dict with ``name``, ``status``
    ("ok" | "failed"), ``error``, ``duration_s``, ``kernel_overhead_s``, ``html``,
    ``title``, ``provenance``.
    """
    import nbformat

    from yqplan.report import _kernels

    kernel = _kernels.worker_kernel()  # None: a kernel per report (outside a kept-kernel worker)
    t0 = time.perf_counter()
    started = _dt.datetime.now(_dt.timezone.utc)
    run_dir = Path(job["run_dir"])
    out_nb = run_dir / "notebooks" / f"{job['name']}.ipynb"
    out_nb.parent.mkdir(parents=True, exist_ok=True)
    status, error, cell_error = "ok", "", False
    log_path = run_dir / "logs" / f"{job['name']}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    saved_fd = os.dup(2)
    log_fh = open(log_path, "w", encoding="utf-8")
    os.dup2(log_fh.fileno(), 2)  # the kernel inherits it: its warnings go to the report's log
    try:
        import logging

        import papermill as pm

        logging.getLogger("papermill").setLevel(logging.WARNING)
        logging.getLogger("traitlets").setLevel(logging.ERROR)
        if kernel is None:  # a kernel of its own, started and stopped by papermill
            pm.execute_notebook(
                job["notebook"], str(out_nb), parameters=job["params"], kernel_name="python3",
                progress_bar=False, execution_timeout=job["timeout"], start_timeout=120,
                cwd=str(Path(job["notebook"]).parent))
        else:  # the worker's kept kernel, reset first (yqplan.report._kernels)
            with kernel.log_to(log_fh.fileno()):
                kernel.execute_notebook(job["notebook"], out_nb, parameters=job["params"],
                                        cwd=Path(job["notebook"]).parent, timeout=job["timeout"])
    except Exception as exc:  # noqa: BLE001 - one failure must not stop the run
        status = "failed"
        if kernel is not None:  # never run the next report in a kernel left in any state
            with kernel.log_to(log_fh.fileno()), contextlib.suppress(Exception):
                kernel.replace()
        # A cell error: the notebook's own error output says it best (read below); a
        # timeout or a dead kernel: the exception does (the cell only shows the interrupt).
        cell_error = type(exc).__name__ == "PapermillExecutionError"
        text = " ".join(str(exc).split())
        error = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    finally:
        sys.stderr.flush()
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        log_fh.close()
    wall = time.perf_counter() - t0
    result = {"name": job["name"], "notebook": Path(job["notebook"]).stem, "status": status,
              "error": error, "duration_s": round(wall, 2), "kernel_overhead_s": None,
              "html": f"{job['name']}.html", "title": job["name"], "provenance": None,
              "params": job["params"], "started": started.isoformat(timespec="seconds")}
    try:
        nb = nbformat.read(str(out_nb), as_version=4) if out_nb.exists() else None
        if nb is None:
            nb = nbformat.read(job["notebook"], as_version=4)
        else:
            cells = sum(float(c.get("metadata", {}).get("papermill", {}).get("duration") or 0)
                        for c in nb.cells)
            result["kernel_overhead_s"] = round(max(wall - cells, 0.0), 2)
        if status == "failed" and cell_error:
            error = _papermill_error(nb) or error
            result["error"] = error
        result["title"] = render.notebook_title(nb, job["language"]) or job["name"]
        stem = Path(job["notebook"]).stem
        if job["name"] != stem:  # e.g. 40_indicator-3: say which one
            suffix = job["name"][len(stem) + 1:] if job["name"].startswith(stem + "-") else job["name"]
            result["title"] += f" · {suffix}"
        result["provenance"] = _notebook_provenance(nb)
        header = render.report_header(result, job)
        footer = render.report_footer(result, job)
        render.render_html(out_nb if out_nb.exists() else job["notebook"], run_dir / result["html"],
                    language=job["language"], header=header, footer=footer,
                    font_cache=job.get("font_cache"))
    except Exception as exc:  # noqa: BLE001
        result["status"] = "failed"
        result["error"] = (result["error"] + " | " if result["error"] else "") + \
            f"rendering failed: {type(exc).__name__}: {exc}"
        result["traceback"] = traceback.format_exc()
    result["duration_s"] = round(time.perf_counter() - t0, 2)
    return result


# --------------------------------------------------------------------------------------
# Workers die with the run
# --------------------------------------------------------------------------------------
# A worker runs papermill, which starts a kernel in a session of its own (jupyter_client
# does so, so a kernel can be interrupted as a group): a killed run would orphan both.
# Each worker therefore (1) is told by the kernel (Linux ``PR_SET_PDEATHSIG``) and by a
# watchdog thread (every system) when its parent is gone, (2) kills its kernels before it
# exits, (3) ignores SIGINT, which the parent handles by stopping the workers, and (4)
# sits in a process group of its own, so a terminal's Ctrl-C or Ctrl-Z reaches only
# the parent.

_WATCH_S = 0.5  # how often a worker's watchdog looks at its parent


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children first), from ``/proc`` (psutil elsewhere)."""
    children: dict[int, list[int]] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        entries = None
    if entries is None:
        try:
            import psutil

            return [c.pid for c in psutil.Process(pid).children(recursive=True)]
        except Exception:  # noqa: BLE001 - no psutil, or pid gone: nothing known to kill
            return []
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(b")", 1)[1].split()[1])  # the name may hold spaces or ')'
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_pids(pids, grace_s: float = 1.0) -> None:
    """SIGTERM ``pids`` (and the groups they lead: a kernel leads its own), then SIGKILL."""
    import signal

    def send(sig):
        for pid in pids:
            for kill in (os.killpg, os.kill) if hasattr(os, "killpg") else (os.kill,):
                with contextlib.suppress(OSError):
                    kill(pid, sig)

    send(signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    send(getattr(signal, "SIGKILL", signal.SIGTERM))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    try:  # a zombie is dead for our purpose
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True


def _worker_exit(*_args) -> None:
    """Kill this worker's kernels (and their children), then end the worker at once."""
    with contextlib.suppress(Exception):
        _kill_pids(_descendants(os.getpid()), grace_s=0.5)
    os._exit(143)


def _worker_init(parent_pid: int, kernel_cwd: str | None = None) -> None:
    """Initializer of every report worker process: die with the run (see above).

    With ``kernel_cwd`` the worker keeps one kernel for all its reports, launched now
    (:mod:`yqplan.report._kernels`); None: a kernel per report.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_exit)
    with contextlib.suppress(OSError, AttributeError):
        os.setpgid(0, 0)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)

    def watch():
        while os.getppid() == parent_pid:
            time.sleep(_WATCH_S)
        _worker_exit()

    if os.getppid() != parent_pid:  # the parent died before we got here
        _worker_exit()
    threading.Thread(target=watch, name="yqplan-parent-watch", daemon=True).start()
    if kernel_cwd is not None:
        from yqplan.report import _kernels

        _kernels.keep_kernel_in_worker("python3", kernel_cwd)
        # while the kernel boots: what every report of this worker needs (paid once here)
        with contextlib.suppress(ImportError):
            import papermill  # noqa: F401
            from nbconvert import HTMLExporter  # noqa: F401


@contextlib.contextmanager
def _workers_die_with_run(pool):
    """On any exception (Ctrl-C, SIGTERM, a crash) stop ``pool``'s workers and their kernels."""
    try:
        yield
    except BaseException:
        procs = list((getattr(pool, "_processes", None) or {}).values())
        victims = {pid for p in procs for pid in _descendants(p.pid)}
        for p in procs:
            with contextlib.suppress(Exception):
                p.terminate()  # the worker kills its kernels (_worker_exit)
        for p in procs:
            with contextlib.suppress(Exception):
                p.join(3)
        _kill_pids([p.pid for p in procs if p.is_alive()] + sorted(victims), grace_s=0.2)
        with contextlib.suppress(Exception):
            pool.shutdown(wait=False, cancel_futures=True)
        raise


@contextlib.contextmanager
def _sigterm_raises():
    """In the main thread, turn SIGTERM into :class:`yqplan.errors.Terminated` (clean-up runs)."""
    import signal
    import threading

    from yqplan.errors import Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise Terminated(signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# --------------------------------------------------------------------------------------
# Scoreboard
# --------------------------------------------------------------------------------------

def write_verdicts(run_dir, settings: RunSettings, values_file: str | Path = "") -> dict:
    """Compute the scoreboard (``targets.assess_plan``) and write ``verdicts.json``/``.csv``.

    ``values_file``: the run's indicator values (:func:`yqplan.analyses.write_indicator_values`);
    "" computes them.
    """
    from yqplan.plan import final
    from yqplan.plan import targets

    if values_file:  # the run's file: nothing to read from the store again
        values, meta = analyses.load_indicator_values(str(values_file))
    else:
        paths = data_paths(settings)
        values, meta = analyses.load_indicator_values(
            "", paths["store"], settings.city, edition=settings.edition,
            water_dir=paths["water"] or "", as_of=settings.as_of, plan=settings.plan,
            dust=resolve_dust_setting(settings.dust)[0])
    # entered values (the plan folder's values.csv) first, measured ones fill the other years
    board = final.assess_plan_for(plan=settings.plan, measured=values)
    targets.write_scoreboard(board, run_dir, stem="verdicts")
    return {"synthetic": bool(meta.get("synthetic")), "n_values": int(len(values)),
            "n_indicators": int(len(board)),
            "status_counts": {str(k): int(v) for k, v in board["status_verdict"].value_counts().items()}}


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class RunSummary:
    """What :func:`run_reports` did.

    ``run_dir`` the finished run folder; ``results`` one dict per report (see
    :func:`execute_job`); ``wall_s`` total seconds; ``kernel_overhead_s`` the summed
    per-report time outside cells (kernel start-up and shut-down, notebook I/O);
    ``ok`` True when every report and the scoreboard succeeded; ``latest`` the run
    ``reports/latest`` points at after this run (this run only when it is a full run
    and ``ok``; None when no run has succeeded yet); ``pruned`` the runs removed;
    ``phases`` the seconds of each phase (as ``run.json``'s).
    """

    run_dir: Path
    results: tuple
    wall_s: float
    kernel_overhead_s: float
    ok: bool
    verdicts_error: str = ""
    latest: Path | None = None
    pruned: tuple = ()
    phases: dict = dataclasses.field(default_factory=dict)


@contextlib.contextmanager
def _run_lock(root: Path):
    import fcntl

    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".report.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            from yqplan.errors import LockHeldError

            raise LockHeldError(f"{root}: another `yqplan report` run is in progress") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def switch_latest(root: Path, run_dir: Path) -> Path:
    """Point ``root/latest`` at ``run_dir`` in one atomic rename (symlink; copy where impossible)."""
    latest = root / "latest"
    rel = os.path.relpath(run_dir, root)
    tmp = root / f".latest.{os.getpid()}"
    try:
        if tmp.is_symlink() or tmp.exists():
            tmp.unlink()
        os.symlink(rel, tmp, target_is_directory=True)
        if latest.exists() and not latest.is_symlink():
            shutil.rmtree(latest)  # an old copy (from a system without symlinks)
        os.replace(tmp, latest)
    except OSError:
        from yqplan import _io

        with _io.atomic_dir(latest) as d:
            shutil.copytree(run_dir, d, dirs_exist_ok=True)
    return latest


def run_succeeded(run_dir) -> bool:
    """Whether a finished run is a full run in which every report and the scoreboard succeeded.

    Read from its ``run.json`` (``ok`` and ``partial``; a record written before those
    fields existed is judged by its results).  A run without a readable record: False.
    """
    try:
        rec = json.loads((Path(run_dir) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(rec, dict) or rec.get("partial"):
        return False
    if "ok" in rec:
        return rec["ok"] is True
    results = rec.get("results") or []
    return bool(results) and all(r.get("status") == "ok" for r in results) \
        and not rec.get("verdicts_error")


def latest_run(root) -> Path | None:
    """The run folder ``root/latest`` points at (None when there is none)."""
    latest = Path(root) / "latest"
    if latest.is_symlink():
        target = latest.resolve()
        return target if target.is_dir() else None
    if latest.is_dir():  # a copy (no symlinks): its run.json names the run
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            run = Path(root) / "runs" / json.loads((latest / "run.json").read_text(encoding="utf-8"))["run_id"]
            return run if run.is_dir() else None
    return None


def prune_runs(root: Path, keep: int) -> list[Path]:
    """Remove the oldest complete runs in ``root/runs`` beyond the newest ``keep``.

    Complete runs are the ``runs/<run-id>`` folders (run ids sort by time), failed
    ones included; never removed: the run ``root/latest`` points at, the newest run in
    which everything succeeded (:func:`run_succeeded`), a ``.partial`` build.  ``keep``
    0 removes nothing.  Call it only after :func:`switch_latest`.  Returns the removed
    folders.
    """
    runs = Path(root) / "runs"
    if keep <= 0 or not runs.is_dir():
        return []
    complete = sorted(p for p in runs.iterdir()
                      if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))
    current = latest_run(root)
    protected = {current.resolve()} if current is not None else set()
    good = next((p for p in reversed(complete) if run_succeeded(p)), None)
    if good is not None:
        protected.add(good.resolve())
    removed = []
    for old in complete[:-keep]:
        if old.resolve() in protected:
            continue
        shutil.rmtree(old)
        removed.append(old)
    return removed


def run_reports(params_file, *, only: list[str] | None = None, jobs: int | None = None,
                timeout: int | None = None, out_dir=None, notebook_dir=None,
                registry: dict[str, type[BaseModel]] | None = None, progress: bool = True,
                prepare: bool = True, verdicts: bool = True, log=None,
                fresh_kernels: bool = False) -> RunSummary:
    """Validate, prepare data, run every notebook in parallel processes, index, switch latest.

    Parameters
    ----------
    params_file : path-like
        YAML parameter file (see :class:`RunSettings`).
    only : list of str, optional
        Run only these reports (report names or notebook stems).
    jobs : int, optional
        Worker processes (default: the file's ``jobs``, at most the CPU count).
    timeout : int, optional
        Per-cell timeout in seconds (default: the file's ``timeout``).
    out_dir : path-like, optional
        Reports root (default :func:`yqplan.config.reports_dir`); the run goes in
        ``<out_dir>/runs/<run-id>/`` and ``<out_dir>/latest`` points at it — except
        after an ``only`` run or a run where any report or the scoreboard failed, which
        leave ``latest`` on the last full successful run (``RunSummary.latest``).  Then
        the oldest complete runs beyond the file's ``keep_runs`` are removed
        (:func:`prune_runs`; never the one ``latest`` points at, nor the newest
        successful run).
    notebook_dir, registry :
        Where the notebooks are and their parameter models (tests use their own).
    prepare, verdicts : bool
        Build the demo data when missing; write the scoreboard.
    fresh_kernels : bool
        Start a new kernel for every report, as papermill does by default.  False (the
        default): each worker keeps one kernel and runs its reports in it one after the
        other, with the namespace, matplotlib settings, working directory and warnings
        reset before each (:mod:`yqplan.report._kernels`); the executed notebooks are the
        same, the imports are paid once per worker.

    Returns
    -------
    RunSummary

    Raises
    ------
    ParamsError
        Before any notebook runs, for any invalid parameter: its type and name
        (:func:`read_params`), its value against the plan (:func:`check_choices`) and, once
        the store is ready, against its data (:func:`check_against_store`).
    yqplan.errors.LockHeldError
        When another run holds the reports folder's lock.
    yqplan.errors.Terminated, KeyboardInterrupt
        On SIGTERM / SIGINT: the workers and their kernels are stopped first and the
        unfinished run is removed.
    """
    from concurrent.futures import ProcessPoolExecutor, as_completed
    import multiprocessing

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    t_start = time.perf_counter()
    registry = NOTEBOOKS if registry is None else registry
    notebook_dir = Path(notebook_dir) if notebook_dir else config.project_root() / "notebooks"
    settings, all_jobs = read_params(params_file, registry)
    if only:
        wanted = set(only)
        unknown = wanted - {j.name for j in all_jobs} - {j.notebook for j in all_jobs}
        if unknown:
            raise ParamsError(f"--only: unknown report(s) {', '.join(sorted(unknown))}; "
                              f"reports: {', '.join(j.name for j in all_jobs)}")
        all_jobs = [j for j in all_jobs if j.name in wanted or j.notebook in wanted]
    for j in all_jobs:
        if not (notebook_dir / f"{j.notebook}.ipynb").is_file():
            raise FileNotFoundError(f"report {j.name!r}: notebook {notebook_dir / (j.notebook + '.ipynb')} "
                                    "not found")
    n_jobs = max(1, min(jobs or settings.jobs, len(all_jobs) or 1))
    cell_timeout = timeout or settings.timeout
    root = Path(out_dir) if out_dir else config.reports_dir()
    with _sigterm_raises(), _run_lock(root):
        phases = {"validate_s": round(time.perf_counter() - t_start, 2)}
        t_phase = time.perf_counter()
        data = prepare_data(settings, log=log) if prepare else {"prepared": []}
        if prepare:  # the store is ready: cities and years against its data, before any notebook
            all_jobs = check_against_store(settings, all_jobs, data_paths(settings)["store"],
                                           where=str(params_file))
        phases["prepare_data_s"] = round(time.perf_counter() - t_phase, 2)
        synthetic = settings.data.source == "demo"
        now = _dt.datetime.now(_dt.timezone.utc)
        run_id = now.strftime("%Y%m%dT%H%M%SZ")
        runs = root / "runs"
        runs.mkdir(parents=True, exist_ok=True)
        for stale in runs.glob(".*.partial"):
            shutil.rmtree(stale, ignore_errors=True)  # left by an interrupted run (lock held: not ours)
        build = runs / f".{run_id}.partial"
        build.mkdir()
        title = settings.title or TEXT[settings.language]["index_title"]
        payloads = [{"name": j.name, "notebook": str(notebook_dir / f"{j.notebook}.ipynb"),
                     "params": j.params, "run_dir": str(build), "timeout": cell_timeout,
                     "language": j.params.get("language", settings.language), "run_id": run_id,
                     "title": title, "synthetic": synthetic,
                     "font_cache": str(root / ".fontcache")} for j in all_jobs]
        results: list[dict] = []
        verdicts_error = ""
        verdict_info = None
        ctx = multiprocessing.get_context("spawn")
        try:
            from tqdm import tqdm

            bar = tqdm(total=len(payloads), desc="reports", unit="report", disable=not progress,
                       file=sys.stderr)
            # Reports that take the indicator values read them from one file the parent
            # computes while the workers start on the other reports.
            for p in payloads:  # the Word version of a report goes into the run folder
                if "docx_dir" in p["params"] and not p["params"]["docx_dir"]:
                    p["params"] = {**p["params"], "docx_dir": str(build)}
            wants = [p for p in payloads if "values_file" in p["params"] and not p["params"]["values_file"]]
            first = [p for p in payloads if p not in wants]
            values_file = build / "indicator_values.csv"
            with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx, initializer=_worker_init,
                                     initargs=(os.getpid(), None if fresh_kernels else
                                               str(notebook_dir))) as pool, _workers_die_with_run(pool):
                futures = {pool.submit(execute_job, p): p for p in first}
                t_phase = time.perf_counter()
                if wants or verdicts:
                    paths = data_paths(settings)
                    try:
                        analyses.write_indicator_values(values_file, paths["store"], settings.city,
                                               edition=settings.edition, water_dir=paths["water"] or "",
                                               as_of=settings.as_of, plan=settings.plan,
                                               dust=resolve_dust_setting(settings.dust)[0])
                    except Exception as exc:  # noqa: BLE001 - the notebooks will show it too
                        verdicts_error = f"indicator values: {type(exc).__name__}: {exc}"
                        log(f"yqplan report: {verdicts_error}")
                phases["indicator_values_s"] = round(time.perf_counter() - t_phase, 2)
                for p in wants:
                    if values_file.is_file():
                        p["params"] = {**p["params"], "values_file": str(values_file)}
                    futures[pool.submit(execute_job, p)] = p
                t_phase = time.perf_counter()
                if verdicts and not verdicts_error:
                    try:
                        verdict_info = write_verdicts(build, settings, values_file)
                    except Exception as exc:  # noqa: BLE001
                        verdicts_error = f"{type(exc).__name__}: {exc}"
                        log(f"yqplan report: scoreboard failed: {verdicts_error}")
                phases["verdicts_s"] = round(time.perf_counter() - t_phase, 2)
                t_phase = time.perf_counter()
                for fut in as_completed(futures):
                    p = futures[fut]
                    try:
                        res = fut.result()
                    except Exception as exc:  # noqa: BLE001 - a dead worker
                        res = {"name": p["name"], "notebook": Path(p["notebook"]).stem,
                               "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                               "duration_s": 0.0, "kernel_overhead_s": None,
                               "html": f"{p['name']}.html", "title": p["name"], "provenance": None}
                    results.append(res)
                    bar.update(1)
                    mark = "ok" if res["status"] == "ok" else f"FAILED: {res['error']}"
                    bar.write(f"  {res['name']}: {mark} ({res['duration_s']:.1f} s)", file=sys.stderr)
            bar.close()
            phases["waiting_for_reports_s"] = round(time.perf_counter() - t_phase, 2)
            order = {j.name: i for i, j in enumerate(all_jobs)}
            results.sort(key=lambda r: order[r["name"]])
            # synthetic when the settings say demo or any report's data said so
            synthetic = synthetic or any((r.get("provenance") or {}).get("synthetic") for r in results) \
                or bool((verdict_info or {}).get("synthetic"))
            from yqplan import _io

            run_ok = all(r["status"] == "ok" for r in results) and not verdicts_error
            _io.write_text(build / "run.json", json.dumps(
                {"run_id": run_id, "params_file": str(params_file), "ok": run_ok,
                 "partial": bool(only), "data": data,
                 "kernels": "fresh" if fresh_kernels else "kept",
                 "results": [{k: v for k, v in r.items() if k != "traceback"} for r in results],
                 "verdicts_error": verdicts_error, "verdicts": verdict_info, "phases": phases},
                ensure_ascii=False, indent=1, default=str))
            render.write_index(build, results, language=settings.language, run_id=run_id, title=title,
                        params_file=str(params_file), synthetic=synthetic,
                        verdicts=verdict_info, verdicts_error=verdicts_error,
                        font_cache=root / ".fontcache")
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        final = runs / run_id
        os.replace(build, final)
        # `latest` moves only to a full run (--only must not hide the other reports of the
        # last full run) in which nothing failed; a failed run is kept and listed.
        if not only and run_ok:
            switch_latest(root, final)
        latest = latest_run(root)
        if not (not only and run_ok):
            why = "a partial run (--only)" if only else "this run has failures"
            log(f"yqplan report: {why}: latest stays at "
                + (f"run {latest.name}" if latest else "no run (none has succeeded yet)"))
        pruned = prune_runs(root, settings.keep_runs)  # only now: latest points at a kept run
        if pruned:
            log(f"yqplan report: removed {len(pruned)} old run(s) beyond keep_runs="
                f"{settings.keep_runs}: {', '.join(p.name for p in pruned)}")
    wall = time.perf_counter() - t_start
    overhead = sum(r.get("kernel_overhead_s") or 0.0 for r in results)
    return RunSummary(final, tuple(results), round(wall, 2), round(overhead, 2), run_ok, verdicts_error,
                      latest=latest, pruned=tuple(pruned), phases=dict(phases))


#: The public API of this module (anything else is private to it).
__all__ = ["CommonParams", "PlanOverviewParams", "PM25Params", "GoodDaysParams", "RankingParams",
           "WaterParams", "ProjectsParams", "FinalParams", "IndicatorParams", "OzoneParams",
           "EpisodesParams", "TimeVariationParams", "RegionsParams", "EditionsParams",
           "NOTEBOOKS", "DataSettings", "RunSettings", "ParamsError", "Job", "read_params",
           "check_choices", "check_against_store", "data_paths", "RUN_ONLY",
           "resolve_dust_setting", "expand_jobs", "prepare_data", "execute_job",
           "write_verdicts", "RunSummary", "switch_latest", "run_succeeded", "latest_run",
           "prune_runs", "run_reports"]
