"""Verdicts for the quantified targets in the plan text (chapters 3–12 of the 14th plan).

Each row of ``text_targets.csv`` has an assessment kind (column ``assess_kind``):

* ``level`` — a level to reach (or keep) by the target year: the latest value (in or
  before the assessment year) decides, as for the Table 1 indicators;
* ``limit`` — a limit not to exceed: met only when *no* year with a value breaks it
  (the years that do are named);
* ``milestone`` — a level due by a dated deadline (``target_year``, e.g. end-2022):
  met when a value in or before the deadline year meets it; after the deadline without
  such a value it is "not met" (final), and a later year that reaches it is noted;
* ``count`` — things to build or do: each year's value is the number *added* in that
  year, and the sum up to the assessment year is compared with the target.

Comparators as printed: ``<=, <, >=, >`` via :func:`yqplan.plan.targets.meets`; ``=`` equal
within 1e-9; ``~`` (接近, approach) is assessed as reaching the value (``>=``), said in
the notes.  A verdict is final once the assessment year reaches the deadline (the row's
``target_year``, else the plan's target year).  No value → ``no value supplied``; no
verdict is ever made without one.  Words are the indicators' (``met`` / ``not met``,
"final (2025): met").  See ``docs/final-assessment.md``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import pandas as pd

from yqplan.plan import tables as plan_mod, targets, values as values_mod

__all__ = ["KINDS", "NO_VALUE", "TextTargetVerdict", "derive_kind", "assess_text_target",
           "assess_text_targets", "TEXT_VERDICT_COLUMNS"]

#: Assessment kinds of a text target.
KINDS = ("level", "limit", "milestone", "count")
#: What a target without a value gets (never a verdict).
NO_VALUE = "no value supplied"


@dataclass(frozen=True)
class TextTargetVerdict:
    """One text target's verdict.  Units: the target's.

    ``value`` is the value that decides (the latest for level/milestone, the worst year
    for a limit, the running sum for a count); ``value_year`` its year (the last year
    summed for a count); ``deadline`` the year the verdict becomes final; ``status``
    ``met`` / ``not met`` / ``no value supplied``; ``verdict`` the status with its year
    and final/interim; ``margin`` distance from the target in the good direction
    (+ better); ``n_values`` years with a value; ``sources`` the values' sources.
    """

    target_id: str
    chapter: int
    section: str
    item_zh: str
    item_en: str
    assess_kind: str
    target_value: float
    comparator: str
    unit: str
    deadline: int
    value: float
    value_year: float
    n_values: int
    final: bool
    status: str
    margin: float
    verdict: str
    sources: str
    notes: str

    def to_dict(self) -> dict:
        return asdict(self)


TEXT_VERDICT_COLUMNS = [f.name for f in fields(TextTargetVerdict)]


def derive_kind(row, plan_target_year: int = 2025) -> str:
    """The assessment kind a row would get from its printed ``kind`` and year.

    limit / threshold → ``limit``; count → ``count``; a target due before the plan's
    target year → ``milestone``; any other target → ``level``.  The shipped table states
    the kind of every row (column ``assess_kind``); this is the rule used to fill it.
    """
    kind = str(row.get("kind") or "")
    if kind in ("limit", "threshold"):
        return "limit"
    if kind == "count":
        return "count"
    ty = row.get("target_year")
    if ty is not None and not plan_mod.is_missing(ty) and int(ty) < plan_target_year:
        return "milestone"
    return "level"


def _meets(value: float, target: float, comparator: str) -> bool:
    if comparator == "=":
        return abs(value - target) <= 1e-9
    return targets.meets(value, target, ">=" if comparator == "~" else comparator)


def _margin(value: float, target: float, comparator: str) -> float:
    if comparator in ("<=", "<"):
        return target - value + 0.0
    if comparator == "=":
        return -abs(value - target) + 0.0
    return value - target + 0.0


def assess_text_target(row, values, *, year: int | None = None,
                       plan_target_year: int = 2025) -> TextTargetVerdict:
    """The verdict of one text target.

    Parameters
    ----------
    row : mapping, a ``text_targets.csv`` row (``assess_kind`` may be empty: derived).
    values : mapping or Series year → value, or a DataFrame ``year, value[, source]``.
    year : assess as of this year (values after it are ignored); default the plan's
        target year.  Values after the plan's target year never decide.
    plan_target_year : the plan's target year (from ``plan.yaml``).
    """

    r = dict(row)
    kind = str(r.get("assess_kind") or "") or derive_kind(r, plan_target_year)
    if kind not in KINDS:
        raise ValueError(f"target {r.get('target_id')}: assess_kind {kind!r} is not one of "
                         f"{', '.join(KINDS)}")
    comp = str(r.get("comparator") or ">=")
    target = float(r["value"])
    notes = []
    if comp == "~":
        notes.append("接近 (approach): assessed as reaching the value (>=)")
    sources = {}
    if isinstance(values, pd.DataFrame):
        if "source" in values.columns:
            sources = dict(zip(values["year"].astype(int), values["source"].astype(str)))
        s = pd.Series(values["value"].to_numpy(dtype=float), index=values["year"].astype(int))
    else:
        s = pd.Series(values, dtype=float)
    s.index = pd.Index([int(i) for i in s.index])
    s = s.dropna().sort_index()
    asof = plan_target_year if year is None else int(year)
    later = s[s.index > min(asof, plan_target_year)]
    if len(later) and kind != "milestone":
        notes.append(f"values after {min(asof, plan_target_year)} not used")
    ty = r.get("target_year")
    deadline = int(ty) if not plan_mod.is_missing(ty) else plan_target_year
    used = s[s.index <= min(asof, plan_target_year)]
    final = asof >= deadline
    base = dict(target_id=str(r["target_id"]), chapter=int(r["chapter"]), section=str(r["section"]),
                item_zh=str(r["item_zh"]), item_en=str(r["item_en"]), assess_kind=kind,
                target_value=target, comparator=comp, unit=str(r["unit"]), deadline=deadline,
                n_values=int(len(used)))
    if not len(used):
        return TextTargetVerdict(**base, value=math.nan, value_year=math.nan, final=False,
                                 status=NO_VALUE, margin=math.nan, verdict=NO_VALUE,
                                 sources="", notes="; ".join(notes))
    if kind == "level":
        vy, value = int(used.index[-1]), float(used.iloc[-1])
        met = _meets(value, target, comp)
        final = final and vy >= deadline
    elif kind == "limit":
        bad = [int(y) for y, v in used.items() if not _meets(float(v), target, comp)]
        met = not bad
        if bad:
            vy = bad[-1]
            value = float(used[vy])
            notes.append("limit broken in " + ", ".join(map(str, bad)))
        else:
            vy, value = int(used.index[-1]), float(used.iloc[-1])
        final = asof >= deadline
    elif kind == "milestone":
        by_deadline = used[used.index <= deadline]
        hit = [int(y) for y, v in by_deadline.items() if _meets(float(v), target, comp)]
        if hit:
            vy, met, final = hit[0], True, True
            value = float(used[vy])
        elif asof < deadline:
            vy, value = int(used.index[-1]), float(used.iloc[-1])
            met, final = False, False
        else:
            met, final = False, True
            src = by_deadline if len(by_deadline) else used
            vy, value = int(src.index[-1]), float(src.iloc[-1])
            late = [int(y) for y, v in s[s.index > deadline].items()
                    if _meets(float(v), target, comp) and y <= asof]
            if not len(by_deadline):
                notes.append(f"no value in or before the deadline year {deadline}")
            if late:
                notes.append(f"reached in {late[0]}, after the deadline {deadline}")
    else:  # count: yearly additions summed
        value = float(math.fsum(used.tolist()))
        vy = int(used.index[-1])
        met = _meets(value, target, comp)
        final = asof >= deadline
        notes.append(f"sum of {len(used)} yearly additions ({', '.join(map(str, used.index))})")
    status = "met" if met else "not met"
    verdict = f"{'final' if final else 'interim'} ({vy}): {status}"
    return TextTargetVerdict(**base, value=value, value_year=float(vy), final=final,
                             status=status, margin=_margin(value, target, comp), verdict=verdict,
                             sources=" | ".join(dict.fromkeys(v for y, v in sources.items()
                                                               if y in used.index and v)),
                             notes="; ".join(notes))


def assess_text_targets(values=None, *, plan=None, year: int | None = None, text_targets=None):
    """Every text target of a plan with its verdict, sorted by chapter and id.

    Parameters
    ----------
    values : DataFrame ``target_id, year, value[, source]``; default the plan folder's
        ``text_target_values.csv`` (:func:`yqplan.plan.values.read_text_target_values`).
    plan : plan id or folder (default the 14th plan).
    year : assess as of this year (default the plan's target year).

    Returns
    -------
    DataFrame with the columns :data:`TEXT_VERDICT_COLUMNS`.
    """

    meta = plan_mod.plan_meta(plan)
    tt = values_mod.read_plan_text_targets(plan) if text_targets is None else text_targets
    v = (values_mod.read_text_target_values(plan=plan, text_targets=tt)
         if values is None else values)
    rows = []
    for r in tt.to_dict("records"):
        sub = v[v["target_id"].astype(str) == str(r["target_id"])]
        rows.append(assess_text_target(r, sub, year=year,
                                       plan_target_year=meta.target_year).to_dict())
    out = pd.DataFrame(rows, columns=TEXT_VERDICT_COLUMNS)
    return out.sort_values(["chapter", "target_id"], ignore_index=True)
