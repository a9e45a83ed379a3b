"""The split of a whole-year partition (the layout before month partitions) reads the old
file month by month from the row groups whose time statistics can match: the same rows as
reading the file with a filter."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import sys

from yqplan.air import store
from yqplan.air.demo import write_demo_archive

sys.path.insert(0, str(Path(__file__).parent))
import store_faults as kit  # noqa: E402


@pytest.fixture(scope="module")
def partition(tmp_path_factory):
    root = tmp_path_factory.mktemp("months")
    write_demo_archive(root / "demo", 2021, 2021, end_date="2021-04-10", sites=False)
    store.ingest(root / "demo", root / "store", progress=False)
    kit.to_year_layout(root / "store")
    (part,) = store.current_files(root / "store")
    assert part.parent.name == "year=2021"
    return part


def _filtered(path: Path, lo, hi):
    return pq.read_table(path, filters=(pc.field("time") >= lo) & (pc.field("time") < hi))


@pytest.mark.parametrize("statistics", [True, False])
def test_month_reads_equal_a_filtered_read_of_the_whole_file(partition, tmp_path, statistics):
    path = partition
    if not statistics:   # a file without statistics: every row group is read, then filtered
        path = tmp_path / "nostats.parquet"
        pq.write_table(pq.read_table(partition), path, row_group_size=5000,
                       write_statistics=False)
    old = store._OldPartition(path)
    assert all((t0 is None) == (not statistics) for _, t0, _ in old.spans)
    sizes = []
    for month in range(1, 13):
        lo, hi = store._month_bounds(2021, month)
        got, want = old.read_months(lo, hi), _filtered(path, lo, hi)
        assert got.schema.equals(want.schema) and got.num_rows == want.num_rows, month
        if want.num_rows:   # (an empty month is dropped by the rewrite, whatever its dictionary)
            pd.testing.assert_frame_equal(got.to_pandas(), want.to_pandas())   # NaN == NaN
        sizes.append(got.num_rows)
    assert sizes[0] > 0 and sizes[3] > 0 and sizes[4:] == [0] * 8
    # two months at once (the span of a chunk of sites)
    lo, hi = store._month_bounds(2021, 2, 2)
    assert old.read_months(lo, hi).num_rows == sizes[1] + sizes[2]
