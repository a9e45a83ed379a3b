"""Complete years and year-to-date periods of the air data: what an annual figure may claim.

Real data rarely cover whole years: the CNEMC archive of a run may end on 24 February.
A calendar year is **complete** only when it holds the annual count of GB 3095—2012
Table 4 (:data:`yqplan.air.stats.MIN_DAYS_PER_YEAR`, 324 days with a daily value) and data
in each of its twelve months (:func:`derive_periods`).  Anything less is a **partial** period,
labelled by the months it covers ("2024年1—2月" / "Jan–Feb 2024").  A partial period is
compared only with the same span a year earlier and never used for an annual verdict, a
trend or a projection (see ``docs/periods.md``).

:func:`derive_periods` is the one place that decides; the scoreboard values
(:func:`yqplan.analyses.compute_indicator_values`), the annual tables
(:func:`yqplan.analyses.compute_annual_table`), the charts (:mod:`yqplan.report.plots`), the
ranking and the notebooks all take their :class:`Period` from it.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass

import pandas as pd

from yqplan.air import stats as airstats
from yqplan.report import words

COMPLETE, PARTIAL = "complete", "partial"


@dataclass(frozen=True)
class Period:
    """One calendar year of data: complete, or a partial (year-to-date) period.

    Attributes
    ----------
    year : the calendar year.
    kind : ``"complete"`` or ``"partial"``.
    start, end : first and last day with data in the year.
    label_zh, label_en : ``"2023"`` for a complete year; ``"2024年1—2月"`` /
        ``"Jan–Feb 2024"`` for a partial one (``"2022年（数据不足）"`` /
        ``"2022 (too few days)"`` when the data span the year but hold fewer than 324 days).
    reason : why the year is partial (``""`` when complete).
    """

    year: int
    kind: str
    start: _dt.date
    end: _dt.date
    label_zh: str
    label_en: str
    reason: str = ""

    @property
    def complete(self) -> bool:
        return self.kind == COMPLETE

    def label(self, language: str = "zh") -> str:
        return words.pick((self.label_zh, self.label_en), language)

    def previous_span(self) -> tuple[_dt.date, _dt.date]:
        """The same span a year earlier (29 February → 28 February), for comparison."""
        return _shift_year(self.start, -1), _shift_year(self.end, -1)

    def span_text(self, language: str = "zh") -> str:
        """``2024-01-01至2024-02-24`` / ``2024-01-01 to 2024-02-24``."""
        return words.word("period.span", language, start=self.start, end=self.end)


def _shift_year(d: _dt.date, years: int) -> _dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _partial_labels(year: int, start: _dt.date, end: _dt.date) -> tuple[str, str]:
    m0, m1 = start.month, end.month
    key = ("period.too_few_days" if m0 == 1 and m1 == 12 else "period.month" if m0 == m1
           else "period.months")
    return tuple(words.word(key, language, year=year,
                            m0=words.word(f"date.month.{m0}", language),
                            m1=words.word(f"date.month.{m1}", language))
                 for language in words.LANGUAGES)


def classify_year(year: int, start, end, valid: bool) -> Period:
    """The :class:`Period` of ``year`` with data from ``start`` to ``end`` and the validity verdict.

    Parameters
    ----------
    year : int
    start, end : date-like, first and last day with data in the year.
    valid : bool
        Whether the year holds a whole year's data (:func:`derive_periods`' rule).
    """
    start, end = pd.Timestamp(start).date(), pd.Timestamp(end).date()
    if valid:
        return Period(int(year), COMPLETE, start, end, str(year), str(year))
    zh, en = _partial_labels(int(year), start, end)
    if start.month == 1 and end.month == 12:
        reason = "fewer days than the annual count of GB 3095 Table 4 (324)"
    else:
        reason = f"data from {start} to {end} only: a year-to-date period"
    return Period(int(year), PARTIAL, start, end, zh, en, reason)


def whole_year(n_days, n_months):
    """THE rule of a complete calendar year: at least
    :data:`yqplan.air.stats.MIN_DAYS_PER_YEAR` (324, GB 3095—2012 Table 4) days with data
    and data in each of the twelve months (docs/periods.md).  Scalars or arrays."""
    return (n_days >= airstats.MIN_DAYS_PER_YEAR) & (n_months == 12)


def derive_periods(days, *, location: str | None = None) -> dict[int, Period]:
    """The :class:`Period` of every year in ``days``: complete or partial.

    Parameters
    ----------
    days : pandas.DataFrame
        Daily values with the daily AQI (:func:`yqplan.air.stats.assess_days`, or
        :func:`yqplan.analyses.assess_air`), one or several locations; a day counts when it
        has a daily AQI.
    location : the location column (default: ``city``, ``station`` or ``location``).

    Returns
    -------
    dict year → Period, in year order.

    Notes
    -----
    A year is complete when, at a majority of the locations (every location when there is
    one), it holds the annual count of GB 3095—2012 Table 4 —
    :data:`yqplan.air.stats.MIN_DAYS_PER_YEAR` (324) days with a daily value — and data in
    each of its twelve months.  A period of fewer months or days (January–February of the
    current year) is partial.  A year that meets both but misses the monthly minimum (27
    days, 25 in February) in some month stays a complete year, flagged by its
    ``valid_<pollutant>`` columns and drawn hollow, as before.
    """
    if days is None or len(days) == 0:
        return {}
    if "aqi" in days:
        days = days[days["aqi"].notna()]  # a day without an AQI is no data (e.g. a boundary stub)
    if len(days) == 0:
        return {}
    loc = airstats.location_column(days, location)
    dates = pd.to_datetime(days["date"])
    frame = pd.DataFrame({"loc": days[loc].to_numpy(), "year": dates.dt.year.to_numpy(),
                          "month": dates.dt.month.to_numpy(), "date": dates.to_numpy()})
    per_loc = frame.groupby(["year", "loc"]).agg(n_days=("date", "nunique"),
                                                 n_months=("month", "nunique"))
    whole = whole_year(per_loc["n_days"], per_loc["n_months"])
    share = whole.groupby(level="year").mean()
    span = frame.groupby("year")["date"].agg(["min", "max"])
    return {int(y): classify_year(int(y), span.loc[y, "min"], span.loc[y, "max"],
                                  bool(share.loc[y] >= 0.5)) for y in span.index}


def complete_years(periods: dict[int, Period]) -> list[int]:
    return [y for y, p in periods.items() if p.complete]


def partial_periods(periods: dict[int, Period]) -> list[Period]:
    return [p for p in periods.values() if not p.complete]


def latest_complete(periods: dict[int, Period], among=None) -> int | None:
    """The latest complete year (of ``among``, years or year labels, when given), or None.

    The latest complete year decides interim verdicts and heads an annual ranking.
    """
    years = complete_years(periods)
    if among is not None:
        keep = {int(y) for y in among}
        years = [y for y in years if y in keep]
    return max(years) if years else None


def year_label(year, periods: dict[int, Period] | None, language: str = "zh") -> str:
    """The label of ``year``: its period's label, or the year itself when unknown."""
    p = (periods or {}).get(int(year))
    return p.label(language) if p else str(year)


def relabel(frame, periods: dict[int, Period] | None, language: str = "zh"):
    """``frame`` (Series or DataFrame indexed by year) with each year replaced by its label."""
    out = frame.copy()
    out.index = [year_label(y, periods, language) for y in frame.index]
    return out


def describe(periods: dict[int, Period], language: str = "zh") -> str:
    """Which years the data hold, which are complete and which partial, in one sentence."""
    if not periods:
        return words.word("period.no_year", language)
    full = complete_years(periods)
    part = partial_periods(periods)
    sep = words.word("punct.list_sep", language)
    bits = []
    if full:
        bits.append(words.word("period.complete_years", language, years=sep.join(str(y) for y in full)))
    else:
        bits.append(words.word("period.no_complete_year", language))
    if part:
        items = sep.join(words.word("period.label_span", language, label=p.label(language),
                                    span=p.span_text(language)) for p in part)
        bits.append(words.word("period.partial", language, items=items))
    return words.word("period.in_the_data", language,
                      bits=words.word("punct.clause_sep", language).join(bits))


def resolve_year(requested, periods: dict[int, Period], language: str = "zh"):
    """The year a report shows for ``requested``, and what to tell the reader.

    Returns ``(year, message)``: ``requested`` itself with ``""`` when its data are a
    complete year; with a note when it is a partial period; else the latest complete year
    (or the latest year with data) with a sentence saying the requested year is not in the
    data and which years are; ``(None, message)`` when there are no data at all.
    """
    req = int(requested)
    if req in periods:
        p = periods[req]
        if p.complete:
            return req, ""
        return req, words.word("period.partial_year_note", language, label=p.label(language),
                               span=p.span_text(language))
    if not periods:
        return None, words.word("period.year_absent_no_data", language, year=req)
    chosen = latest_complete(periods) or max(periods)
    return chosen, words.word("period.year_absent", language, year=req,
                              described=describe(periods, language),
                              shown=periods[chosen].label(language))


def to_json(periods: dict[int, Period]) -> str:
    """``periods`` as a JSON text (for a run's metadata files)."""
    return json.dumps([asdict(p) | {"start": str(p.start), "end": str(p.end)}
                       for p in periods.values()], ensure_ascii=False)


def from_json(text) -> dict[int, Period]:
    """The inverse of :func:`to_json`; empty for an empty or missing text."""
    if not text:
        return {}
    out = {}
    for rec in json.loads(text):
        rec = dict(rec, start=_dt.date.fromisoformat(rec["start"]),
                   end=_dt.date.fromisoformat(rec["end"]))
        out[int(rec["year"])] = Period(**rec)
    return out


#: The public API of this module (anything else is private to it).
__all__ = ["Period", "classify_year", "derive_periods", "complete_years", "partial_periods",
           "latest_complete", "year_label", "relabel", "describe", "resolve_year", "to_json",
           "from_json"]
