"""``air ingest`` from the command line imports no pandas, and prints what pandas would."""

from __future__ import annotations

import io
import random
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from yqplan.cli import _common

FIX = Path(__file__).parent / "data" / "cnemc"


def _rows(rng: random.Random) -> list[dict]:
    ints = [0, 1, -5, 365, 8760, 12345678, -123456789, 10**12]
    texts = ["cities", "sites", "2022-01-01", "a,b", 'q"x', "", " x", "two words", "-3",
             "1.5", "null", "x/y"]
    kinds = [rng.choice("is") for _ in range(rng.randint(1, 7))]
    names = [rng.choice(["kind", "files", "x", "a_long_name", "f", ""]) + str(j)
             for j in range(len(kinds))]
    return [{n: rng.choice(ints if k == "i" else texts) for n, k in zip(names, kinds)}
            for _ in range(rng.randint(1, 5))]


@pytest.mark.parametrize("fmt", _common.FORMATS)
def test_plain_rows_print_byte_for_byte_as_pandas_prints_them(fmt):
    rng = random.Random(17)
    for _ in range(400):
        rows = _rows(rng)
        assert _common._plain_columns(rows) is not None
        mine, theirs = io.StringIO(), io.StringIO()
        _common.emit(rows, fmt, mine)
        _common.emit(pd.DataFrame(rows), fmt, theirs)
        assert mine.getvalue() == theirs.getvalue(), rows


@pytest.mark.parametrize("rows", [
    [{"kind": "cities", "first": None}],            # a missing value
    [{"kind": "cities", "share": 0.5}],             # a float
    [{"kind": "cities", "ok": True}],               # a bool
    [{"city": "阳泉", "n": 1}],                      # wide characters
    [{"a": 1}, {"b": 2}],                           # different keys
    [],
])
def test_other_rows_are_left_to_pandas(rows):
    assert _common._plain_columns(rows) is None


def _ingest_in_fresh_process(store: Path, preimport: str) -> tuple[str, bool]:
    code = (f"{preimport}\nimport sys\nfrom yqplan.cli import main\n"
            f"rc = main(['air', 'ingest', {str(FIX)!r}, '--store', {str(store)!r}, "
            "'--no-progress'])\n"
            "print('PANDAS', 'pandas' in sys.modules, file=sys.stderr)\nsys.exit(rc)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return proc.stdout, "PANDAS True" in proc.stderr


def test_air_ingest_imports_no_pandas_and_prints_the_same(tmp_path):
    out, loaded = _ingest_in_fresh_process(tmp_path / "a", "")
    assert not loaded
    out_pd, loaded_pd = _ingest_in_fresh_process(tmp_path / "b", "import pandas")
    assert loaded_pd
    assert out == out_pd and out.split()[:2] == ["kind", "files"]
    # the stores are the same, file for file
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*.parquet")}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*.parquet")}
    assert a == b and a


def test_pyarrow_still_gives_dataframes_after_the_check():
    code = ("import sys\nfrom yqplan.cli._common import keep_pandas_out_of_pyarrow\n"
            "keep_pandas_out_of_pyarrow()\nassert 'pandas' not in sys.modules\n"
            "import pyarrow as pa\nt = pa.table({'a': [1, 2]})\n"
            "assert 'pandas' not in sys.modules\n"
            "df = t.to_pandas()\nassert list(df['a']) == [1, 2]\n"
            "import pandas as pd\nassert pa.array(pd.Series([1.5])).to_pylist() == [1.5]\n")
    subprocess.run([sys.executable, "-c", code], check=True)
