"""Station level: each national station's annual values against its city's.

``station_shares`` takes the stations' HJ 663 annual statistics
(:func:`yqplan.analyses.compute_station_annual`, i.e. :func:`yqplan.air.stats.compute_annual_stats`
on the station archive) and the city's own annual statistics, and gives each station's
value as a percentage of the city value (100 % = the city mean; above 100 % the station
reads higher).  ``map_labels`` writes the measured value beside each station's name for
:func:`yqplan.report.maps.plot_district_map`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["STATION_VALUES", "station_shares", "map_labels"]

#: Annual statistics compared, with their unit.
STATION_VALUES = {"pm25": "µg/m³", "pm10": "µg/m³", "no2": "µg/m³", "so2": "µg/m³",
                  "o3_8h_p90": "µg/m³", "co_p95": "mg/m³"}


def station_shares(stations: pd.DataFrame, city_values, *, columns=tuple(STATION_VALUES)
                   ) -> pd.DataFrame:
    """Each station's annual values and their share of the city value [%].

    Parameters
    ----------
    stations : one row per station with ``station`` and the annual values (``pm25`` …).
    city_values : mapping (or Series / one-row frame) of the city's annual values; a
        value missing there falls back to the plain mean of the stations (recorded in
        ``city_basis``).

    Returns
    -------
    ``stations`` with, for each column ``c``: ``c_city`` (the city value used) and
    ``c_share`` (station / city × 100 [%]); and ``city_basis`` ("city" or
    "station mean", for PM2.5).
    """
    if isinstance(city_values, pd.DataFrame):
        city_values = city_values.iloc[0] if len(city_values) else {}
    out = stations.copy()
    basis = "city"
    for c in columns:
        if c not in out.columns:
            continue
        v = out[c].astype(float)
        ref = city_values.get(c, np.nan) if hasattr(city_values, "get") else np.nan
        ref = float(ref) if ref is not None else np.nan
        if not np.isfinite(ref):
            ref = float(v.mean()) if v.notna().any() else np.nan
            if c == "pm25":
                basis = "station mean"
        out[f"{c}_city"] = ref
        out[f"{c}_share"] = v / ref * 100 if ref else np.nan
    out["city_basis"] = basis
    return out


def map_labels(stations: pd.DataFrame, column: str = "pm25", *, digits: int = 0,
               name_column: str = "station_name") -> pd.DataFrame:
    """``stations`` with ``name`` = "<station name> <value>" for the map (NaN shown as "–")."""
    out = stations.copy()
    vals = out[column].astype(float)
    text = vals.map(lambda x: "–" if pd.isna(x) else f"{x:.{digits}f}")
    out["name"] = out[name_column].astype(str) + " " + text
    return out
