"""Figures: every plot_* function draws what it is given, in the language asked, with real CJK glyphs."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from yqplan.report import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _render(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())


def _glyph_image(text: str, family: str) -> np.ndarray:
    fig = plt.figure(figsize=(1, 1), dpi=80)
    fig.text(0.5, 0.5, text, family=family, fontsize=40, ha="center", va="center")
    img = _render(fig)[..., 0].copy()
    plt.close(fig)
    return img


def test_cjk_font_registered_from_mplfonts_and_has_the_glyphs():
    name = plots.use_cjk_font()
    assert name == "Noto Sans CJK SC"
    assert plots.cjk_font_path().parent.parent.name == "mplfonts"
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    from matplotlib import font_manager

    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert found == str(plots.cjk_font_path())
    text = "阳泉市细颗粒物优良天数重污染断面劣Ⅴ类达标序时进度"
    assert plots.font_has_glyphs(text)
    assert not plots.font_has_glyphs("\U0001F600")  # the check can say no (an emoji)


def test_chinese_is_drawn_with_real_glyphs_not_boxes():
    plots.use_cjk_font()
    a, b = _glyph_image("阳", "Noto Sans CJK SC"), _glyph_image("泉", "Noto Sans CJK SC")
    assert (a < 128).sum() > 50 and (b < 128).sum() > 50  # ink on the page
    assert not np.array_equal(a, b)  # two different characters, two different shapes
    # DejaVu Sans has no CJK: both characters fall back to the same .notdef box
    with pytest.warns(UserWarning, match="missing from font"):
        box1, box2 = _glyph_image("阳", "DejaVu Sans"), _glyph_image("泉", "DejaVu Sans")
    assert np.array_equal(box1, box2)


@pytest.mark.parametrize("language, title_word", [("zh", "序时进度路径"), ("en", "Time-elapsed path (序时进度)")])
def test_plot_indicator_path(language, title_word):
    values = pd.Series([49.0, 45.0, 42.0, 40.0], index=[2020, 2021, 2022, 2023])
    valid = pd.Series([True, True, False, True], index=values.index)
    proj = type("P", (), {"projection": 35.0, "projection_low": 30.0, "projection_high": 40.0,
                          "target_year": 2025.0, "confidence": 0.9})()
    fig = plots.plot_indicator_path(values, title="PM2.5", unit="µg/m³", baseline=49.0, target=41.0,
                                    valid=valid, projection=proj, language=language)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert title_word in labels
    schedule = next(l for l in ax.get_lines() if l.get_linestyle() == ":")
    # the 序时进度 line runs from the baseline in 2020 to the target in 2025
    assert list(schedule.get_xdata()) == [2020, 2025] and list(schedule.get_ydata()) == [49.0, 41.0]
    target = next(l for l in ax.get_lines() if l.get_linestyle() == "--")
    assert list(target.get_ydata()) == [41.0, 41.0]
    hollow = [c for c in ax.collections if len(c.get_offsets()) == 1 and len(c.get_facecolor())
              and to_hex(c.get_facecolor()[0]) == "#ffffff"]
    assert hollow and tuple(hollow[0].get_offsets()[0]) == (2022.0, 42.0)


def test_plot_indicator_path_without_target_draws_no_target_line():
    values = pd.Series([68.6, 70.0], index=[2020, 2021])
    fig = plots.plot_indicator_path(values, title="x", baseline=68.6, target=math.nan)
    assert not [l for l in fig.axes[0].get_lines() if l.get_linestyle() in ("--", ":")]


def test_plot_aqi_calendar_uses_the_hj633_colours():
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    aqi = pd.Series(30.0, index=days)
    aqi["2025-01-02"] = 75   # 良
    aqi["2025-01-03"] = 250  # 重度污染
    aqi["2025-01-04"] = np.nan
    fig = plots.plot_aqi_calendar(aqi, year=2025, title="2025")
    jan = fig.axes[0]
    img = jan.images[0]
    rgba = img.cmap(img.norm(img.get_array()))
    # 2025-01-01 is a Wednesday (column 2), first week (row 0)
    assert to_hex(rgba[0, 2]) == "#00e400"  # 优
    assert to_hex(rgba[0, 3]) == "#ffff00"  # 良
    assert to_hex(rgba[0, 4]) == "#99004c"  # 重度污染
    assert to_hex(rgba[0, 5]) == "#dddddd"  # no data
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["优", "良"]
    assert len(jan.texts) == 31 and len(fig.axes[1].texts) == 28  # day numbers


def test_plot_water_heatmap_marks_cells_worse_than_the_target():
    classes = pd.DataFrame([[3, 4], [2, np.nan]], index=["白羊墅", "闫家庄大桥"], columns=["2023-01", "2023-02"])
    fig = plots.plot_water_heatmap(classes, target_class={"白羊墅": 3, "闫家庄大桥": 3}, title="t")
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["Ⅱ", "Ⅲ", "Ⅳ×"]
    img = fig.axes[0].images[0]
    rgba = img.cmap(img.norm(img.get_array()))
    from yqplan.water import gb3838

    assert to_hex(rgba[0, 1]) == gb3838.QUALITY[4][2].lower()
    assert to_hex(rgba[1, 0]) == gb3838.QUALITY[2][2].lower()


def test_plot_water_shares_and_empty_heatmap():
    shares = pd.DataFrame({"share_good_pct": [50.0, 100.0], "share_bad_pct": [50.0, 0.0]},
                          index=["2024", "2025"])
    fig = plots.plot_water_shares(shares, title="t", target_good=80, target_bad=0)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [50.0, 100.0, 50.0, 0.0]
    empty = plots.plot_water_heatmap(pd.DataFrame(), title="t")
    assert empty.axes[0].texts[0].get_text() == "无数据"
    # every year insufficient (the real snapshots 2021–2023): said, not empty axes
    thin = pd.DataFrame({"share_good_pct": [np.nan] * 3, "share_bad_pct": [np.nan] * 3},
                        index=["2021", "2022", "2023"])
    fig = plots.plot_water_shares(thin, title="t", target_good=80, target_bad=0)
    assert fig.axes[0].texts[0].get_text() == "没有数据充足的年份"
    assert not fig.axes[0].patches and not fig.axes[0].lines


def test_plot_bars_highlight_and_empty():
    s = pd.Series([5.0, 6.2, 4.8], index=["太原", "阳泉", "大同"])
    fig = plots.plot_bars(s, title="综合指数", highlight="阳泉")
    bars = fig.axes[0].patches
    assert [round(b.get_height(), 1) for b in bars] == [5.0, 6.2, 4.8]
    assert to_hex(bars[1].get_facecolor()) == "#c0392b" and to_hex(bars[0].get_facecolor()) == "#4a7fb0"
    fig = plots.plot_bars(pd.Series(dtype=float), title="x", language="en")
    assert fig.axes[0].texts[0].get_text() == "no data"


def test_plot_grouped_and_stacked_bars():
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=[2024, 2025])
    fig = plots.plot_grouped_bars(frame, title="t", series_labels={"a": "含沙尘天", "b": "扣除沙尘天"})
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["含沙尘天", "扣除沙尘天"]
    counts = pd.DataFrame({"PM2.5": [10, 5], "O3_8h": [20, 30]}, index=[2024, 2025])
    fig = plots.plot_stacked_counts(counts, title="t")
    tops = sorted({round(p.get_y() + p.get_height()) for p in fig.axes[0].patches})
    assert tops == [5, 10, 30, 35]  # stacked: 10+20 and 5+30


def test_plot_monthly_trend_line_matches_the_slope():
    months = pd.DataFrame({"value": np.arange(24, dtype=float)},
                          index=pd.date_range("2024-01-01", periods=24, freq="MS"))
    tr = type("T", (), {"slope": -2.0, "slope_low": -3.0, "slope_high": -1.0, "intercept": 50.0,
                        "x_start": 2024.0, "stars": "**"})()
    fig = plots.plot_monthly_trend(months, tr, title="t", unit="µg/m³")
    line = fig.axes[0].get_lines()[-1]
    y = np.asarray(line.get_ydata())
    # 1 Jan 2024 → 1 Jan 2025 is one decimal year: the line is 2 µg/m³ lower
    assert y[12] - y[0] == pytest.approx(-2.0, rel=1e-9)
    assert y[0] == pytest.approx(50.0)  # the intercept at x_start
    assert "-2.00" in line.get_label() and "**" in line.get_label()


def test_plot_monthly_values_greys_invalid_months():
    v = pd.Series([40.0, 50.0, 60.0], index=pd.date_range("2025-01-01", periods=3, freq="MS"))
    ok = pd.Series([True, False, True], index=v.index)
    fig = plots.plot_monthly_values(v, ok, title="t")
    grey = [p for p in fig.axes[0].patches if to_hex(p.get_facecolor()) == "#cccccc"]
    assert [p.get_height() for p in grey] == [50.0]


def test_plot_rank_history_highlights_the_city():
    ranks = pd.DataFrame({"阳泉": [9, 10], "太原": [1, 2]}, index=["2025-01", "2025-02"])
    fig = plots.plot_rank_history(ranks, city="阳泉", title="t", n_cities=11)
    ax = fig.axes[0]
    assert ax.get_ylim() == (11.5, 0.5)  # rank 1 on top
    thick = [l for l in ax.get_lines() if l.get_linewidth() > 2]
    assert len(thick) == 1 and list(thick[0].get_ydata()) == [9.0, 10.0]


def test_plot_verdict_matrix_words_and_colours():
    board = pd.DataFrame([
        {"indicator_id": "1", "name_zh": "PM2.5", "name_en": "PM2.5", "status_verdict": "not met",
         "schedule_verdict": "behind schedule", "progress_verdict": "deterioration", "probability_met": 0.2},
        {"indicator_id": "3", "name_zh": "重污染", "name_en": "Heavy", "status_verdict": "met",
         "schedule_verdict": "on schedule", "progress_verdict": "met", "probability_met": float("nan")},
    ])
    fig = plots.plot_verdict_matrix(board, title="t")
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["未达标", "滞后于序时进度", "出现退步", "20%", "达标", "符合序时进度", "达标", "–"]
    fig = plots.plot_verdict_matrix(board, title="t", language="en")
    assert [t.get_text() for t in fig.axes[0].texts][:2] == ["not met", "behind schedule"]


def test_plot_project_timeline_counts_undated_projects():
    projects = pd.DataFrame({"name": ["a", "b", "c"], "start": ["2021", "2022-03", ""],
                             "end": ["2023", "2025", "2024"], "table": ["13-1", "13-2", "13-1"]})
    fig = plots.plot_project_timeline(projects, title="时间表")
    assert len(fig.axes[0].patches) == 2
    assert "1 个项目缺少起止时间" in fig.axes[0].get_title()


def test_language_is_checked():
    with pytest.raises(ValueError, match="'zh' or 'en'"):
        plots.plot_bars(pd.Series([1.0]), title="x", language="fr")


def test_plot_water_heatmap_draws_insufficient_months_as_such_not_as_a_class():
    # 白羊墅 2022-05: 劣Ⅴ from 7 readings (insufficient) must not be red; 2022-06 Ⅲ is sufficient
    classes = pd.DataFrame([[6, 3]], index=["白羊墅"], columns=["2022-05", "2022-06"])
    sufficient = pd.DataFrame([[False, True]], index=["白羊墅"], columns=["2022-05", "2022-06"])
    fig = plots.plot_water_heatmap(classes, sufficient=sufficient, title="t")
    ax = fig.axes[0]
    img = ax.images[0]
    assert np.ma.is_masked(img.get_array()[0, 0]) and not np.ma.is_masked(img.get_array()[0, 1])
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_xy() == (-0.5, -0.5)
    texts = [t.get_text() for t in ax.texts]
    assert "劣Ⅴ" not in texts and "Ⅲ" in texts and "数据不足" in texts
    assert "数据不足" in [t.get_text() for t in fig.legends[0].get_texts()]
    # a month with no class at all stays plain grey, and the legend says so
    classes.loc["白羊墅", "2022-06"] = np.nan
    fig = plots.plot_water_heatmap(classes, sufficient=sufficient, title="t")
    assert [t.get_text() for t in fig.legends[0].get_texts()][-2:] == ["数据不足", "无数据"]
