"""The store is plain hive-partitioned Parquet: an external engine (DuckDB, embedded) reading
the current generation's files gets what ``read_store`` gets (docs/external_engines.md)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from yqplan.air import store
from yqplan.air.cnemc import VALUE_COLUMNS
from yqplan.air.demo import write_demo_archive

#: the query docs/external_engines.md and docs/guide/air-data.md show (one city, one local year)
CITY_YEAR_SQL = """
SELECT city, epoch_ns("time") AS time_ns, {values}
FROM read_parquet($files, hive_partitioning = true)
WHERE city = $city AND year = $year
ORDER BY "time"
"""


@pytest.fixture(scope="module")
def two_generations(tmp_path_factory):
    """A synthetic store of 2021 and ten days of 2022, then one day re-ingested changed: the
    folders hold files of two generations (the previous one is kept for readers in flight)."""
    root = tmp_path_factory.mktemp("engines")
    write_demo_archive(root / "demo", 2021, 2022, end_date="2022-01-10", sites=False)
    s = root / "store"
    store.ingest(root / "demo", s, progress=False)
    day = next((root / "demo").rglob("china_cities_20210301.csv"))
    day.write_text(day.read_text(encoding="utf-8") + "\n", encoding="utf-8")   # re-read
    second = store.ingest(root / "demo", s, progress=False)
    assert second["files_read"] == 1
    return s


def test_current_files_are_the_generation_read_store_reads(two_generations):
    s = two_generations
    files = store.current_files(s)
    assert [(p.parent.parent.name, p.parent.name) for p in files] == [
        *[("year=2021", f"month={m}") for m in range(1, 13)], ("year=2022", "month=1")]
    on_disk = sorted(s.glob("cities/year=2021/month=3/*.parquet"))
    assert len(on_disk) == 2, "the previous generation's file is still there"
    gen = store.read_store(s, names="阳泉", start="2021-01-01", end="2021-01-01")[1]["generation"]
    assert gen == 2 and files[2].name == "data-g000002.parquet" and files[2] in on_disk
    # the months the re-read day is not in were carried, not rewritten
    assert all(p.name == "data-g000001.parquet" for i, p in enumerate(files) if i != 2)
    assert sorted(s.glob("cities/year=2021/month=4/*.parquet")) == [files[3]]
    assert store.current_files(s, kind="sites") == []
    with pytest.raises(ValueError, match="kind"):
        store.current_files(s, kind="towns")


def test_duckdb_reads_the_same_city_year_as_read_store(two_generations):
    s = two_generations
    files = [str(p) for p in store.current_files(s)]
    sql = CITY_YEAR_SQL.format(values=", ".join(VALUE_COLUMNS))
    got = duckdb.connect().execute(sql, {"files": files, "city": "阳泉", "year": 2021}).df()
    want, _ = store.read_store(s, names="阳泉", start="2021-01-01", end="2021-12-31")
    assert len(got) == len(want) > 300 * 24
    np.testing.assert_array_equal(got["time_ns"].to_numpy(),
                                  want["time"].array.asi8)
    assert (got["city"] == "阳泉").all()
    pd.testing.assert_frame_equal(got[list(VALUE_COLUMNS)], want[list(VALUE_COLUMNS)],
                                  check_dtype=True)
    # hive keys: the month folder of each row is its local calendar month
    months = duckdb.connect().execute(
        'SELECT month, count(*) AS n FROM read_parquet($files, hive_partitioning = true) '
        "WHERE city = '阳泉' AND year = 2021 GROUP BY month ORDER BY month",
        {"files": files}).df()
    local = want["time"].dt.month.value_counts().sort_index()
    assert months["month"].tolist() == local.index.tolist() == list(range(1, 13))
    assert months["n"].tolist() == local.tolist()
    # a folder scan instead of the file list double-counts the re-ingested generation's
    # month (March)
    everything = duckdb.connect().execute(
        f"SELECT count(*) FROM read_parquet('{s.as_posix()}/cities/*/*/*.parquet', "
        "hive_partitioning = true) WHERE city = '阳泉' AND year = 2021").fetchone()[0]
    assert everything == len(want) + int(local[3]) and local[3] > 28 * 24
