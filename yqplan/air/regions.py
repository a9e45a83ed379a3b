"""Regional context: a city against its province, the key regions and the nation.

Region memberships are shipped data (``data/air/regions.csv``: ``region, city, source,
date``), each row with the document it comes from and that document's date:

* ``山西`` — Shanxi's 11 prefecture-level cities (as ``data/air/shanxi_cities.csv``);
* ``京津冀及周边2+26`` — the "2+26" cities of 环大气〔2017〕29号;
* ``汾渭平原`` — the 11 cities of 国发〔2018〕22号 (杨凌示范区 is no city of the archive);
* ``全国`` — the 337 prefecture-level-and-above names of the CNEMC city archive (county-level
  cities, 兵团 cities and national new areas excluded; three renamed prefectures merged
  through ``data/air/city_aliases.csv``).  See ``docs/regions.md`` for why.

A region's value is the **plain mean of its cities' values** (what the national and
provincial releases publish as "平均浓度" and "平均优良天数比例"), over the cities with a
value.  City values are the HJ 663 annual statistics of
:func:`yqplan.air.stats.compute_annual_stats`; ranking any region calls
:func:`yqplan.air.stats.rank_cities` with the region's cities.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan import config
from yqplan.air import stats as airstats
from yqplan.errors import DataFileError

__all__ = ["REGION_COLUMNS", "RegionMeans", "read_regions", "read_city_aliases",
           "region_cities", "merge_aliases", "city_annual_table", "region_means",
           "compare_with_regions", "rank_region", "city_annual_from_store",
           "comparison_frame"]

REGION_COLUMNS = ("region", "city", "source", "date")


def _default(name: str) -> Path:
    return config.data_dir() / "air" / name


def read_regions(path=None):
    """The shipped region memberships: ``(df, meta)``.

    Parameters
    ----------
    path : path, optional
        A CSV with ``region, city, source, date`` (UTF-8); default ``data/air/regions.csv``.

    Returns
    -------
    df : DataFrame ``region, city, source, date`` (city as the archive names it, no 市)
    meta : ``{"file": …, "rows": …, "regions": [names in file order]}``

    Raises
    ------
    yqplan.errors.DataFileError
        A missing column, an empty field, a bad date or a city listed twice in a region.
    """
    path = Path(path) if path is not None else _default("regions.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in REGION_COLUMNS if c not in df.columns]
    if missing:
        raise DataFileError(path, "region table lacks columns", line=1,
                            expected=", ".join(REGION_COLUMNS), found=list(df.columns))
    for i, row in enumerate(df.itertuples(index=False), start=2):
        for c in REGION_COLUMNS:
            if not str(getattr(row, c)).strip():
                raise DataFileError(path, "empty field", line=i, column=c, expected="a value")
        try:
            _dt.date.fromisoformat(row.date.strip())
        except ValueError:
            raise DataFileError(path, "bad date", line=i, column="date", expected="YYYY-MM-DD",
                                found=row.date) from None
    df = df[list(REGION_COLUMNS)].apply(lambda s: s.str.strip())
    df["city"] = df["city"].str.removesuffix("市")
    dup = df.duplicated(["region", "city"])
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataFileError(path, "city listed twice in one region", line=i + 2, column="city",
                            found=df["city"].iloc[i])
    return df, {"file": str(path), "rows": len(df),
                "regions": list(dict.fromkeys(df["region"]))}


def read_city_aliases(path=None) -> dict:
    """``{alias: city}`` from ``data/air/city_aliases.csv`` (two archive names, one prefecture)."""
    path = Path(path) if path is not None else _default("city_aliases.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if not {"alias", "city"} <= set(df.columns):
        raise DataFileError(path, "alias table lacks columns", line=1, expected="alias, city",
                            found=list(df.columns))
    return dict(zip(df["alias"].str.strip(), df["city"].str.strip()))


def region_cities(region: str, regions: pd.DataFrame | None = None) -> list[str]:
    """The cities of ``region`` in file order; a clear error naming the known regions."""
    if regions is None:
        regions = read_regions()[0]
    sub = regions[regions["region"] == region]
    if sub.empty:
        raise ValueError(f"region: {region!r} is not one of "
                         f"{', '.join(dict.fromkeys(regions['region']))} (data/air/regions.csv)")
    return list(sub["city"])


def merge_aliases(hourly: pd.DataFrame, aliases: dict | None = None) -> pd.DataFrame:
    """Rename alias columns' rows to their city; where both report an hour, the first value wins."""
    aliases = read_city_aliases() if aliases is None else aliases
    hit = hourly["city"].isin(list(aliases))
    if not hit.any():
        return hourly
    out = hourly.copy()
    out.loc[hit, "city"] = out.loc[hit, "city"].map(aliases)
    if out.duplicated(["city", "time"]).any():
        out = out.groupby(["city", "time"], as_index=False, sort=True).first()
    return out


def city_annual_table(days: pd.DataFrame, years) -> pd.DataFrame:
    """HJ 663 annual statistics of every city in ``days`` for each of ``years``.

    Returns ``yqplan.air.stats.stats_frame`` rows (``city``, ``year``, ``pm25``,
    ``good_ratio``, ``valid_days`` … ``valid_pm25``) for the years with data, plus
    ``partial`` (the data's first or last day of that year, over all cities, is not
    1 January / 31 December).
    """
    from yqplan.air import seasons

    cov = seasons.year_coverage(days["date"])
    partial = dict(zip(cov["year"], cov["partial"]))
    present = set(cov["year"])
    rows = [s for y in years if y in present for s in airstats.compute_annual_stats(days, int(y))]
    out = airstats.stats_frame(rows)
    if out.empty:
        return pd.DataFrame(columns=["city", "year", "pm25", "good_ratio", "partial"])
    out["partial"] = out["year"].map(partial).fillna(False).astype(bool)
    return out


@dataclasses.dataclass(frozen=True)
class RegionMeans:
    """Plain means of city values by region and year.

    Attributes
    ----------
    table : DataFrame ``region``, ``year``, ``partial``, ``n_members`` (cities in the
        region table), ``n_cities`` (with a value), ``pm25`` [µg/m³], ``good_ratio`` [%],
        ``missing`` (members without a value, "、"-joined)
    sources : region → (source, date) of its membership
    """

    table: pd.DataFrame
    sources: dict


def region_means(city_table: pd.DataFrame, regions: pd.DataFrame | None = None, *,
                 names=None, columns=("pm25", "good_ratio")) -> RegionMeans:
    """Mean of each region's city values, year by year (a plain, unweighted mean).

    Parameters
    ----------
    city_table : DataFrame from ``city_annual_table`` (``city``, ``year``, values).
    regions : the membership table (default ``read_regions()``).
    names : regions to compute (default all, in file order).
    columns : the city values averaged.

    Notes
    -----
    A city counts when its value is not NaN; cities missing from the data are listed
    in ``missing``.  No validity rule is applied to the city values before averaging
    (the national releases average the cities they publish).
    """
    if regions is None:
        regions = read_regions()[0]
    names = list(names) if names is not None else list(dict.fromkeys(regions["region"]))
    rows = []
    partial = city_table.groupby("year")["partial"].first().to_dict() if len(city_table) else {}
    for region in names:
        members = region_cities(region, regions)
        sub = city_table[city_table["city"].isin(members)]
        for year in sorted(set(city_table["year"])):
            sy = sub[sub["year"] == year]
            have = set(sy.dropna(subset=[columns[0]])["city"])
            row = {"region": region, "year": int(year), "partial": bool(partial.get(year, False)),
                   "n_members": len(members), "n_cities": len(have)}
            for c in columns:
                v = sy[c].to_numpy(dtype=float)
                row[c] = float(np.nanmean(v)) if np.isfinite(v).any() else np.nan
            row["missing"] = "、".join(c for c in members if c not in have)
            rows.append(row)
    src = regions.drop_duplicates("region").set_index("region")
    return RegionMeans(pd.DataFrame(rows), {r: (src.loc[r, "source"], src.loc[r, "date"])
                                            for r in names})


def compare_with_regions(city_table: pd.DataFrame, means: RegionMeans, city: str,
                         columns=("pm25", "good_ratio")) -> pd.DataFrame:
    """``city``'s values beside each region's mean, with the difference (city − region).

    Returns one row per year and region: ``year``, ``region``, ``partial``, and for each
    column ``<c>_city``, ``<c>_region``, ``<c>_diff``.
    """
    own = city_table[city_table["city"] == city].set_index("year")
    rows = []
    for r in means.table.itertuples(index=False):
        row = {"year": r.year, "region": r.region, "partial": r.partial,
               "n_cities": r.n_cities}
        for c in columns:
            cv = float(own[c].get(r.year, np.nan)) if c in own else np.nan
            rv = float(getattr(r, c))
            row.update({f"{c}_city": cv, f"{c}_region": rv, f"{c}_diff": cv - rv})
        rows.append(row)
    return pd.DataFrame(rows)


def comparison_frame(comparison: pd.DataFrame, column: str, city: str,
                     language: str = "zh") -> pd.DataFrame:
    """Year × (city, regions…) table of one value from ``compare_with_regions`` (for a chart).

    The index is the year as text, with "（不完整）" ("(partial)") for partial years.
    """
    wide = comparison.pivot(index="year", columns="region", values=f"{column}_region")
    order = list(dict.fromkeys(comparison["region"]))
    wide = wide[order]
    own = comparison.groupby("year")[f"{column}_city"].first()
    wide.insert(0, city, own)
    partial = comparison.groupby("year")["partial"].first()
    mark = "（不完整）" if language == "zh" else " (partial)"
    wide.index = [f"{int(y)}{mark if partial.get(y, False) else ''}" for y in wide.index]
    return wide


def rank_region(hourly: pd.DataFrame, period: str, region: str, *,
                regions: pd.DataFrame | None = None, **kwargs) -> airstats.Ranking:
    """Composite-index ranking of the cities of any region (:func:`yqplan.air.stats.rank_cities`)."""
    cities = region_cities(region, regions)
    present = set(hourly["city"].unique())
    cities = [c for c in cities if c in present]
    return airstats.rank_cities(hourly, period, cities=cities, province=region, **kwargs)


#: Hourly columns the daily values need (``yqplan.air.stats.compute_daily_values``).
_DAILY_INPUTS = ["so2", "no2", "co", "o3", "pm10", "pm25"]


def city_annual_from_store(store_dir, cities, years, *, edition: str = "auto", as_of: str = ""):
    """Annual statistics of many cities, one year read at a time (bounded memory).

    Parameters
    ----------
    store_dir : the air store (``yqplan.analyses.resolve_store``).
    cities : archive names; aliases of ``data/air/city_aliases.csv`` are read and merged.
    years : calendar years.
    edition : as :func:`yqplan.analyses.assess_air` ("auto": the edition in force each day).
    as_of : last day read (ISO date) or "".

    Returns
    -------
    (table, meta) — ``city_annual_table`` rows of every year with data; ``meta`` has
    ``synthetic``, ``data_as_of``, ``source`` (as :func:`yqplan.analyses.read_city_hourly`),
    ``editions`` (per year, :func:`yqplan.analyses.describe_editions`) and ``cities_read``.
    """
    from yqplan import analyses
    from yqplan.air import store

    where = analyses.resolve_store(str(store_dir))
    aliases = read_city_aliases()
    wanted = list(dict.fromkeys(list(cities) + [a for a, c in aliases.items() if c in cities]))
    parts, eds, last, synthetic, read = [], {}, None, False, set()
    for y in years:
        end = min(f"{y}-12-31", str(as_of)) if as_of else f"{y}-12-31"
        if end < f"{y}-01-01":
            continue
        hourly, meta = store.read_store(where, names=wanted, start=f"{y}-01-01", end=end,
                                        columns=_DAILY_INPUTS)
        synthetic = synthetic or bool(meta.get("synthetic"))
        if hourly.empty:
            continue
        hourly = merge_aliases(hourly, aliases)
        read |= set(hourly["city"].unique())
        last = max(last, hourly["time"].max()) if last is not None else hourly["time"].max()
        days, _ = analyses.assess_air(hourly, edition=edition)
        eds[int(y)] = analyses.describe_editions(days, edition)
        parts.append(city_annual_table(days, [y]))
    table = (pd.concat(parts, ignore_index=True) if parts
             else pd.DataFrame(columns=["city", "year", "pm25", "good_ratio", "partial"]))
    meta = {"synthetic": synthetic, "data_as_of": last, "editions": eds,
            "cities_read": sorted(read),
            "source": f"{'synthetic demonstration ' if synthetic else ''}air store {where}"}
    return table, meta
