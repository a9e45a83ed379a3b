"""City names and region membership: the rules that exist once.

* :data:`DEFAULT_CITY` — the city the plan is about (阳泉), the default of every ``city``
  parameter of the library, the CLI and the report run.
* :func:`normalise_city` — a city's name as the CNEMC city archive writes it (no trailing 市).
* :func:`read_regions` / :func:`region_cities` — region membership, from the one shipped file
  ``data/air/regions.csv`` (Shanxi's 11 cities are its region ``山西``; see ``docs/regions.md``).

This module is a leaf: it imports nothing of yqplan's but :mod:`yqplan.config` and
:mod:`yqplan.errors`, so the readers (:mod:`yqplan.air.cnemc`), the statistics
(:mod:`yqplan.air.stats`) and the analysis layer can all use it.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

from yqplan import config
from yqplan.errors import DataFileError

__all__ = ["DEFAULT_CITY", "DEFAULT_CITY_FULL", "DEFAULT_PROVINCE", "REGION_COLUMNS", "normalise_city",
           "read_regions", "region_cities"]

#: The city the plan assesses, as the CNEMC archive names it.
DEFAULT_CITY = "阳泉"
#: Its official name (the ``area`` of the published figures, the city of a water group).
DEFAULT_CITY_FULL = DEFAULT_CITY + "市"
#: The province whose cities are ranked (a region of ``data/air/regions.csv``).
DEFAULT_PROVINCE = "山西"

REGION_COLUMNS = ("region", "city", "source", "date")


def normalise_city(name) -> str:
    """A city's name as the CNEMC city archive writes it: blanks stripped, no trailing 市.

    ``"阳泉市"`` → ``"阳泉"``; ``"市"`` alone stays (a name is never empty).  Station codes
    (``1738A``) pass unchanged.
    """
    n = str(name).strip()
    return n[:-1] if n.endswith("市") and len(n) > 1 else n


def read_regions(path=None):
    """The shipped region memberships: ``(df, meta)``.

    Parameters
    ----------
    path : path, optional
        A CSV with ``region, city, source, date`` (UTF-8); default ``data/air/regions.csv``.

    Returns
    -------
    df : DataFrame ``region, city, source, date`` (city as the archive names it,
        :func:`normalise_city`)
    meta : ``{"file": …, "rows": …, "regions": [names in file order]}``

    Raises
    ------
    yqplan.errors.DataFileError
        A missing column, an empty field, a bad date or a city listed twice in a region.
    """
    import pandas as pd  # heavy: the archive reader imports this module and starts without pandas

    path = Path(path) if path is not None else config.data_dir() / "air" / "regions.csv"
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
    df["city"] = df["city"].map(normalise_city)
    dup = df.duplicated(["region", "city"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataFileError(path, "city listed twice in one region", line=i + 2, column="city",
                            found=df["city"].iloc[i])
    return df, {"file": str(path), "rows": len(df),
                "regions": list(dict.fromkeys(df["region"]))}


def region_cities(region: str = DEFAULT_PROVINCE, regions=None) -> list[str]:
    """The cities of ``region`` in file order; a clear error naming the known regions.

    ``regions``: :func:`read_regions`'s table (default: read the shipped file).
    """
    if regions is None:
        regions = read_regions()[0]
    sub = regions[regions["region"] == region]
    if sub.empty:
        raise ValueError(f"region: {region!r} is not one of "
                         f"{', '.join(dict.fromkeys(regions['region']))} (data/air/regions.csv)")
    return list(sub["city"])
