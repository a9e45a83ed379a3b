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
from pathlib import Path

import numpy as np
import pandas as pd

from yqplan import config
from yqplan.air import seasons
from yqplan.air import stats as airstats
from yqplan.air.cities import REGION_COLUMNS, read_regions, region_cities
from yqplan.errors import DataFileError
from yqplan.report import words

__all__ = ["REGION_COLUMNS", "RegionMeans", "read_regions", "read_city_aliases",
           "region_cities", "merge_aliases", "city_annual_table", "region_means",
           "compare_with_regions", "rank_region",
           "comparison_frame"]

def _default(name: str) -> Path:
    return config.data_dir() / "air" / name


def read_city_aliases(path=None) -> dict:
    """``{alias: city}`` from ``data/air/city_aliases.csv`` (two archive names, one prefecture)."""
    path = Path(path) if path is not None else _default("city_aliases.csv")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if not {"alias", "city"} <= set(df.columns):
        raise DataFileError(path, "alias table lacks columns", line=1, expected="alias, city",
                            found=list(df.columns))
    return dict(zip(df["alias"].str.strip(), df["city"].str.strip()))


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
    mark = words.word("season.partial", language)
    wide.index = [f"{int(y)}{mark if partial.get(y, False) else ''}" for y in wide.index]
    return wide


def rank_region(hourly: pd.DataFrame, period: str, region: str, *,
                regions: pd.DataFrame | None = None, **kwargs) -> airstats.Ranking:
    """Composite-index ranking of the cities of any region (:func:`yqplan.air.stats.rank_cities`)."""
    cities = region_cities(region, regions)
    present = set(hourly["city"].unique())
    cities = [c for c in cities if c in present]
    return airstats.rank_cities(hourly, period, cities=cities, province=region, **kwargs)
