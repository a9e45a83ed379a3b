"""µ (U+00B5 MICRO SIGN) and μ (U+03BC GREEK SMALL LETTER MU) are one unit (issue 12, item 11)."""

from __future__ import annotations

import pytest

from yqplan import config
from yqplan.plan import tables as plan
from yqplan.errors import DataFileError


def _with_row(tmp_path, row):
    src = config.data_dir() / "plans" / "14th" / "province_targets.csv"
    f = tmp_path / "province_targets.csv"
    f.write_text(src.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    return f


def test_micro_sign_and_greek_mu_are_the_same_unit(tmp_path):
    assert "\u00b5g/m³" != "\u03bcg/m³"                     # look alike, differ as text
    f = _with_row(tmp_path, "1,2025,39,\u00b5g/m³,,山西省文件,,,")   # as the reports print it
    got = plan.read_province_targets(path=f)
    assert len(got) == 1 and got["value"].iloc[0] == 39
    # stored once, in the indicator's own spelling
    ind = plan.read_indicators().set_index("indicator_id")
    assert got["unit"].iloc[0] == ind.loc["1", "unit"]


def test_a_different_unit_is_still_refused_and_the_message_tells_them_apart(tmp_path):
    f = _with_row(tmp_path, "1,2025,39,mg/m³,,doc,,,")
    with pytest.raises(DataFileError, match="unit") as err:
        plan.read_province_targets(path=f)
    assert "U+03BC" in str(err.value)          # the code points are shown, not only glyphs


@pytest.mark.parametrize("a, b, same", [("\u00b5g/m³", "\u03bcg/m³", True), (" % ", "%", True),
                                        ("mg/m³", "μg/m³", False)])
def test_same_unit(a, b, same):
    assert plan.same_unit(a, b) is same
