"""Air quality: the CNEMC archive, the Parquet store, the HJ 633 AQI and the annual statistics.

Data flow: ``cnemc`` (read and fetch the real daily files) → ``store`` (the Parquet
store, atomic generations) → ``stats`` (GB 3095 validity, daily values, HJ 663 annual
statistics, rankings) with ``aqi`` (IAQI/AQI of both editions) → ``periods`` (complete
years and partial periods) → the analyses of ``ozone``, ``episodes``, ``seasons``,
``timevar``, ``regions``, ``editions`` and ``stations``.  ``demo`` writes the synthetic
demonstration archive.  The rules are noted in ``docs/``.
"""

from yqplan._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, [
    "aqi", "cities", "cnemc", "coverage", "demo", "editions", "episodes", "ozone", "periods",
    "regions", "seasons",
    "stations", "stats", "store", "timevar",
], {
    "read_cnemc": "cnemc", "fetch_cnemc": "cnemc", "read_station_list": "cnemc",
    "ingest": "store", "read_store": "store", "read_manifest": "store", "describe_store": "store",
    "edition_for": "aqi", "compute_iaqi": "aqi", "compute_realtime_aqi": "aqi",
    "compute_daily_aqi": "aqi", "classify_aqi": "aqi",
    "assess_hourly": "stats", "assess_days": "stats", "compute_annual_stats": "stats",
    "compute_monthly_stats": "stats", "compute_period_stats": "stats", "rank_cities": "stats",
    "derive_periods": "periods", "Period": "periods",
    "DEFAULT_CITY": "cities", "normalise_city": "cities", "region_cities": "cities",
})
