"""The key-project ledger: dated status records per project and what follows from them.

``project_status.csv`` in a plan folder holds any number of records per key project,
one per (project, date): ``project_id, as_of, status, investment_done, actual_start,
actual_completion, note, source``.  ``investment_done`` is the investment completed
*to date* [亿元] (cumulative, as progress reports give it); ``status`` one of
:data:`STATUSES`.  It ships empty: the plan's tables are a snapshot of 2022 plans, not of
progress, and no progress is invented.

Derived (:func:`ledger_summary`, as of a date, default the end of the plan period): each
project's latest record, the completion rate (completed ÷ printed rows, and ÷ the
number the plan states — 66 against 59 rows in the 14th plan, kept visible), investment
completed against planned by table, district and lead department, the projects past
their planned completion without a completed record (planned ``2021`` = end of 2021,
``2022-06`` = end of June 2022), and the burn-up series (:func:`burnup`).
See ``docs/final-assessment.md``.
"""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from yqplan._schema import Column, Schema, read_csv_checked
from yqplan.errors import DataFileError
from yqplan.plan import tables as plan_mod
from yqplan.plan.values import check_date_not_future
from yqplan.report import words

__all__ = ["LEDGER_FILE", "STATUSES", "STATUS_WORDS", "NO_RECORD", "read_ledger",
           "latest_status", "ledger_summary", "LedgerSummary", "burnup", "period_end_date"]

LEDGER_FILE = "project_status.csv"
#: Project statuses a record may state.
STATUSES = ("not_started", "preparing", "under_construction", "completed", "suspended",
            "cancelled")
#: Status words for readers (zh, en): the catalogue :mod:`yqplan.report.words`, ``ledger.*``.
STATUS_WORDS = words.section("ledger")
#: A project without any record up to the date.
NO_RECORD = "no record"


def period_end_date(text) -> _dt.date | None:
    """The last day a date ``YYYY`` / ``YYYY-MM`` / ``YYYY-MM-DD`` covers (None when empty)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or str(text).strip() == "":
        return None
    parts = [int(p) for p in str(text).strip().split("-")]
    if len(parts) == 1:
        return _dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        nxt = _dt.date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return nxt - _dt.timedelta(days=1)
    return _dt.date(*parts)


def _schema(ids) -> Schema:
    return Schema([
        Column("project_id", required=True, choices=tuple(ids), description="project as in projects.csv"),
        Column("as_of", "date", required=True, pattern=r"\d{4}-\d{2}-\d{2}",
               description="date the record describes (YYYY-MM-DD)"),
        Column("status", required=True, choices=STATUSES, description="project status on that date"),
        Column("investment_done", "float", min=0, description="investment completed to date [亿元]"),
        Column("actual_start", "date", description="actual start (YYYY, YYYY-MM or YYYY-MM-DD)"),
        Column("actual_completion", "date", description="actual completion (YYYY, YYYY-MM or YYYY-MM-DD)"),
        Column("note", description="remarks"),
        Column("source", required=True, description="document and issuer of the record"),
    ], unique=("project_id", "as_of"))


def read_ledger(path=None, *, plan=None, projects=None, today: _dt.date | None = None):
    """Read a plan's ``project_status.csv`` (absent → no records).

    Raises
    ------
    DataFileError
        A project id not in the plan, a status not in :data:`STATUSES`, a date in the
        future (``as_of`` or ``actual_completion``), a completion record without … a
        second record for the same project and date, an empty source; naming the file,
        line and column.
    """

    proj = projects if projects is not None else plan_mod.read_projects(plan=plan)
    path = Path(path) if path is not None else plan_mod.plan_dir(plan) / LEDGER_FILE
    cols = _schema([]).names
    if not path.exists():
        df = pd.DataFrame({c: pd.Series(dtype="float64" if c == "investment_done" else object)
                           for c in cols})
        df.attrs["source_path"] = str(path)
        return df
    df = read_csv_checked(path, _schema(list(proj["project_id"])))
    lines = plan_mod.data_lines(path) if len(df) else []
    today = today or _dt.date.today()
    for i, r in enumerate(df.to_dict("records")):
        for col in ("as_of", "actual_start", "actual_completion"):
            if not check_date_not_future(r[col], today):
                raise DataFileError(path, "date in the future", line=lines[i], column=col,
                                    expected=f"a date not after {today.isoformat()}", found=r[col])
        if isinstance(r["actual_completion"], str) and r["actual_completion"] and r["status"] != "completed":
            raise DataFileError(path, "completion date on a project not completed", line=lines[i],
                                column="status", expected="completed (or leave actual_completion empty)",
                                found=r["status"])
    df.attrs["source_path"] = str(path)
    return df


def latest_status(ledger=None, *, plan=None, as_of=None, projects=None):
    """Each project's latest record on or before ``as_of`` (default: the plan period's end).

    Returns one row per printed project: ``project_id, table, name_zh, district,
    lead_department, investment_total, planned_completion, status`` (``no record``
    without one), ``record_date``, ``investment_done`` (NaN without a record), ``source``,
    ``overdue`` (planned completion ended before ``as_of`` and not completed).
    """

    proj = projects if projects is not None else plan_mod.read_projects(plan=plan)
    led = read_ledger(plan=plan, projects=proj) if ledger is None else ledger
    asof = _as_of(as_of, plan)
    led = led[pd.to_datetime(led["as_of"]).dt.date <= asof] if len(led) else led
    last = {}
    for r in led.sort_values("as_of").to_dict("records") if len(led) else []:
        last[r["project_id"]] = r
    rows = []
    for p in proj.to_dict("records"):
        r = last.get(p["project_id"])
        status = r["status"] if r else NO_RECORD
        planned = period_end_date(p["completion_date"])
        rows.append({"project_id": p["project_id"], "table": p["table"], "name_zh": p["name_zh"],
                     "district": p["district"],
                     "lead_department": p["lead_department"] or "未注明",
                     "investment_total": p["investment_total"],
                     "planned_completion": p["completion_date"] or "", "status": status,
                     "record_date": r["as_of"] if r else "",
                     "investment_done": (float(r["investment_done"]) if r and r["investment_done"] is not None
                                         and not pd.isna(r["investment_done"]) else math.nan),
                     "source": r["source"] if r else "",
                     "overdue": bool(planned is not None and planned < asof and status != "completed")})
    return pd.DataFrame(rows)


def _as_of(as_of, plan) -> _dt.date:
    if as_of is None or as_of == "":
        return _dt.date(plan_mod.plan_meta(plan).period_end, 12, 31)
    return as_of if isinstance(as_of, _dt.date) else _dt.date.fromisoformat(str(as_of))


class LedgerSummary(NamedTuple):
    """The ledger as of a date.  Money in 亿元.

    ``n_rows`` printed project rows; ``n_stated`` the count the plan states (NaN when it
    states none); ``n_with_record``, ``n_completed``, ``completion_rate`` (completed ÷
    rows), ``completion_rate_stated`` (completed ÷ stated); ``investment_planned`` (sum
    of stated investment), ``investment_done`` (sum of the latest investment completed,
    projects without a figure count 0), ``investment_share`` (done ÷ planned);
    ``by_table``, ``by_district``, ``by_department`` (``n_projects, n_completed,
    investment_planned, investment_done, share_done``); ``overdue`` the overdue projects;
    ``status`` every project's latest status; ``counts`` projects per status.
    """

    as_of: str
    n_rows: int
    n_stated: float
    n_with_record: int
    n_completed: int
    completion_rate: float
    completion_rate_stated: float
    investment_planned: float
    investment_done: float
    investment_share: float
    by_table: object
    by_district: object
    by_department: object
    overdue: object
    status: object
    counts: object


def _group(st, key):
    g = st.assign(_done=st["investment_done"].fillna(0.0),
                  _completed=st["status"] == "completed")
    out = (g.groupby(key, sort=True)
           .agg(n_projects=("project_id", "size"), n_completed=("_completed", "sum"),
                investment_planned=("investment_total", lambda s: round(math.fsum(s.dropna()), 7)),
                investment_done=("_done", lambda s: round(math.fsum(s), 7)))
           .reset_index())
    out["n_completed"] = out["n_completed"].astype(int)
    out["share_done"] = [d / p if p else math.nan for d, p in
                         zip(out["investment_done"], out["investment_planned"])]
    return out


def ledger_summary(ledger=None, *, plan=None, as_of=None, projects=None) -> LedgerSummary:
    """Completion rate, investment done vs planned (by table, district, department), overdue."""

    proj = projects if projects is not None else plan_mod.read_projects(plan=plan)
    asof = _as_of(as_of, plan)
    st = latest_status(ledger, plan=plan, as_of=asof, projects=proj)
    stated_path = plan_mod.plan_dir(plan) / "stated_totals.csv"
    n_stated = math.nan
    if stated_path.is_file():
        tot = plan_mod.read_stated_totals(plan=plan)
        hit = tot[tot["table"] == "all"]
        n_stated = float(hit["stated_count"].iloc[0]) if len(hit) else math.nan
    n = len(st)
    done_n = int((st["status"] == "completed").sum())
    planned = round(math.fsum(st["investment_total"].dropna()), 7)
    done = round(math.fsum(st["investment_done"].fillna(0.0)), 7)
    counts = st["status"].value_counts().rename_axis("status").reset_index(name="n_projects")
    return LedgerSummary(
        as_of=asof.isoformat(), n_rows=n, n_stated=n_stated,
        n_with_record=int((st["status"] != NO_RECORD).sum()), n_completed=done_n,
        completion_rate=done_n / n if n else math.nan,
        completion_rate_stated=done_n / n_stated if n_stated and not math.isnan(n_stated) else math.nan,
        investment_planned=planned, investment_done=done,
        investment_share=done / planned if planned else math.nan,
        by_table=_group(st, "table"), by_district=_group(st, "district"),
        by_department=_group(st, "lead_department"),
        overdue=st[st["overdue"]].reset_index(drop=True), status=st, counts=counts)


def burnup(ledger=None, *, plan=None, projects=None):
    """The burn-up series: at each record date, projects completed and investment done to date.

    Returns DataFrame ``date`` (datetime), ``completed`` (projects whose latest record
    by then is completed), ``investment_done`` [亿元] (sum of each project's latest
    investment completed by then); empty without records.
    """

    proj = projects if projects is not None else plan_mod.read_projects(plan=plan)
    led = read_ledger(plan=plan, projects=proj) if ledger is None else ledger
    if not len(led):
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "completed": pd.Series(dtype=int),
                             "investment_done": pd.Series(dtype=float)})
    led = led.sort_values("as_of")
    state: dict = {}
    rows = []
    for date, g in led.groupby("as_of", sort=True):
        for r in g.to_dict("records"):
            state[r["project_id"]] = r
        rows.append({"date": pd.Timestamp(date),
                     "completed": sum(r["status"] == "completed" for r in state.values()),
                     "investment_done": round(math.fsum(
                         float(r["investment_done"]) for r in state.values()
                         if r["investment_done"] is not None and not pd.isna(r["investment_done"])), 7)})
    return pd.DataFrame(rows)
