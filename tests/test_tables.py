"""Report tables: one formatter driven by the column catalogue, a CSV download beside each."""

from __future__ import annotations

import base64
import html
import io
import re

import numpy as np
import pandas as pd

from yqplan import glossary
from yqplan.report import present


def test_headers_units_and_formats_come_from_the_catalogue():
    df = pd.DataFrame({"district": ["城区", "盂县"], "n_projects": [3, 12],
                       "n_investment_not_stated": [1, 0], "share": [0.05544, 3.78e-05],
                       "good_ratio": [71.2345, 80.0], "partial": [True, False],
                       "start": pd.to_datetime(["2023-10-01", "2024-01-05"])})
    zh, unknown = present.format_table(df, "zh")
    assert unknown == []
    assert list(zh.columns) == ["区县", "项目数 (个)", "未列投资的项目 (个)", "占总投资比例 (%)",
                                "优良天数比例 (%)", "数据不完整", "开始"]
    # hand-formatted: share 0.05544 → 5.5 %, 3.78e-05 → 0.0 %; ratio in % → one decimal
    assert zh.iloc[0].tolist() == ["城区", "3", "1", "5.5", "71.2", "是", "2023-10-01"]
    assert zh.iloc[1].tolist() == ["盂县", "12", "0", "0.0", "80.0", "否", "2024-01-05"]
    en, _ = present.format_table(df, "en")
    assert en.columns[2] == "Projects without stated investment (个)"
    assert en.iloc[0, 5] == "yes"


def test_unknown_columns_are_reported_and_flagged_in_the_page():
    df = pd.DataFrame({"pm25": [35.04], "mystery_col": [1.0]})
    _, unknown = present.format_table(df, "zh")
    assert unknown == ["mystery_col"]
    page = present.table_html(df, "zh")
    assert 'data-yq-unlabelled="mystery_col"' in page


def test_no_exponent_notation_and_missing_values_as_dash():
    df = pd.DataFrame({"value": [3.78e-05, 1234567.0, np.nan]})
    v, _ = present.format_table(df, "zh")
    assert v.iloc[:, 0].tolist() == ["0.0000378", "1235000", "–"]


def test_headers_already_printed_are_recognised_and_pivot_columns_take_the_unit():
    v, unknown = present.format_table(pd.DataFrame({"PM2.5 (µg/m³)": [35.04], "有效天数": [300]}), "zh")
    assert unknown == [] and list(v.columns) == ["PM2.5 (µg/m³)", "有效天数 (天)"]
    assert v.iloc[0].tolist() == ["35.0", "300"]
    df = pd.DataFrame({"period": ["2023"], "太原": [3], "阳泉": [7]})
    v, unknown = present.format_table(df, "zh", pivot="rank")
    assert unknown == [] and list(v.columns) == ["时段", "太原", "阳泉"]
    assert v.iloc[0].tolist() == ["2023", "3", "7"]


def _csv_of(page):
    m = re.search(r'download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([^"]+)"', page)
    assert m, page[:500]
    return m.group(1), base64.b64decode(m.group(2))


def test_csv_link_holds_every_row_unrounded_with_a_bom():
    df = pd.DataFrame({"city": [f"城市{i}" for i in range(80)], "share": np.arange(80) / 7.0})
    page = present.table_html(df, "zh", max_rows=10, name="shares")
    name, raw = _csv_of(page)
    assert name == "shares.csv"
    assert raw.startswith("\ufeff".encode("utf-8"))
    back = pd.read_csv(io.StringIO(raw.decode("utf-8-sig")))
    assert list(back.columns) == ["城市", "占总投资比例 (%)"] and len(back) == 80
    assert back.iloc[3, 1] == 3 / 7.0                      # not rounded
    assert page.count("<tr") == 11                           # header + the 10 rows shown
    assert "显示前 10 行，共 80 行" in page
    assert 'class="yq-table-wrap" style="overflow-x:auto' in page


def test_cells_and_headers_are_escaped():
    df = pd.DataFrame({"name": ["<script>alert(1)</script>"], "<b>x</b>": [1]})
    page = present.table_html(df, "zh", labelled=True)
    assert "<script>" not in page and "<b>x</b>" not in page
    assert html.escape("<script>") in page


def test_catalogue_labels_both_languages_and_known_formats():
    for key, c in glossary.COLUMNS.items():
        assert c.zh.strip() and c.en.strip(), key
        assert c.fmt in {"int", "year", "1f", "2f", "4f", "num", "pct", "share", "date", "bool", "text"}, key


def test_paths_of_this_machine_never_reach_a_table_or_its_csv():
    from yqplan import config

    inside = f"synthetic demonstration store {config.project_root()}/data/demo-store"
    df = pd.DataFrame({"source": [inside, "/srv/archive/城市_20230101-20231231.zip"]})
    page = present.table_html(df, "zh")
    assert str(config.project_root()) not in page and "/srv/" not in page
    assert "合成演示数据·数据仓库 data/demo-store" in page                 # in the reader's language
    _, raw = _csv_of(page)
    text = raw.decode("utf-8-sig")
    assert "城市_20230101-20231231.zip" in text and "/srv/" not in text
    assert str(config.project_root()) not in text


def test_a_pivot_header_that_reads_like_a_column_takes_the_pivot_unit():
    """Exceedance days by pollutant: the column "PM2.5" holds days, not µg/m³."""
    df = pd.DataFrame({"period": ["2023"], "PM2.5": [135], "O3_8h": [24], "valid_days": [352]})
    v, unknown = present.format_table(df, "zh", pivot="days")
    assert list(v.columns) == ["时段", "PM2.5 (天)", "O3_8h (天)", "有效天数 (天)"] and not unknown
    assert v.iloc[0].tolist() == ["2023", "135", "24", "352"]


def test_indicator_keys_are_named_in_words():
    from yqplan.air import editions
    from yqplan.report import air_text

    v = air_text.view(editions.changed_breakpoints(), ["indicator", "iaqi", "c_2012", "c_2026"], "zh")
    shown, unknown = present.format_table(v, "zh")
    assert not unknown and "pm10_24h" not in shown.to_string()
    assert shown.iloc[0].tolist() == ["PM10 24小时平均", "100", "150", "120"]   # HJ 633—2026 Table 1


def test_water_sufficiency_table_names_indicators_and_basis_in_words():
    from yqplan.report import water_text

    classes = pd.DataFrame({"section_name": ["白羊墅"], "period_label": ["2023-01"], "class_label": [""],
                            "main_pollutants": [""], "n_valid": [0], "coverage_pct": [0.0],
                            "sufficient": [False], "indicators_missing": ["ph,do,codmn,nh3n,tp"],
                            "basis": ["auto_recomputed"]})
    shown, unknown = present.format_table(water_text.classes_view(classes, "zh"), "zh")
    assert not unknown
    assert shown.iloc[0, 7] == "pH、溶解氧、高锰酸盐指数、氨氮、总磷"
    assert shown.iloc[0, 8] == "自动监测数据重算（非官方评价）"
    en, _ = present.format_table(water_text.classes_view(classes, "en"), "en")
    assert en.iloc[0, 8].startswith("recomputed from automatic data")


def test_sources_in_a_chinese_report_are_in_chinese_and_without_paths():
    from yqplan import config

    text = (f"synthetic demonstration air store {config.project_root()}/data/demo-store (cities) "
            "[synthetic]")
    assert present.source_words(text, "zh") == "合成演示数据·空气质量数据仓库 data/demo-store （城市） ［合成数据］"
    assert present.source_words("plan Table 1", "zh") == "规划表1"
    assert present.source_words("阳泉市“十四五”生态环境保护规划, Table 1, item 7", "zh").endswith("表1第7项")
    assert present.source_words(text, "en") == "synthetic demonstration air store data/demo-store (cities) [synthetic]"


def test_path_cleaning_leaves_markup_like_text_alone():
    """Data that looks like HTML (``</a>``, ``</script>``) is text to show, not a path."""
    for text in ["名称 <a href='javascript:window.__xss=1'>a</a>", '<script>x="s"</script>', "µg/m³ 2012/2026"]:
        assert present.public_text(text) == text
    assert present.public_text("store /srv/x/城市.zip and /tmp/h15r-store/") == "store 城市.zip and h15r-store"
