"""Tests of yqplan.stats.trend against independent implementations and hand calculations.

Oracles: scipy.stats (theilslopes, siegelslopes, spearmanr), statsmodels STL,
pymannkendall (test-only dependency), exact permutation distributions computed
here, and the worked Spearman example of Berthouex & Brown, *Statistics for
Environmental Engineers* (2nd ed., ch. 31).  Tolerances are stated per test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

from yqplan.stats import trend

mk = pytest.importorskip("pymannkendall")


def _series(seed=0, n=15, slope=-2.0, sd=3.0, start=2011):
    rng = np.random.default_rng(seed)
    years = np.arange(start, start + n)
    return years, 60 + slope * (years - start) + rng.normal(0, sd, n)


def _ar1(n, phi, seed, trend_per_step=0.0):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    y = np.empty(n)
    y[0] = e[0]
    for i in range(1, n):
        y[i] = phi * y[i - 1] + e[i]
    return y + trend_per_step * np.arange(n)


# ----------------------------------------------------------------- Theil–Sen

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_theil_sen_slope_equals_scipy(seed):
    years, y = _series(seed)
    res = trend.theil_sen(y, years, unit="µg/m³")
    ref = st.theilslopes(y, years)
    assert res.slope == pytest.approx(ref.slope, rel=1e-12)  # same estimator: exact
    assert res.slope_unit == "µg/m³/year"
    # the line's value at the first year: scipy intercept is at x = 0
    assert res.intercept == pytest.approx(ref.intercept + ref.slope * years[0], rel=1e-9)
    assert res.n == len(y) and res.trend_status == "ok"
    assert res.n_boot == 599 and res.seed == 42 and res.block_length == 1


def test_theil_sen_interval_is_comparable_with_scipy():
    # Different methods (bootstrap percentile vs Sen's rank interval): they must
    # overlap and the widths agree within a factor of 2 on a well-behaved series.
    years, y = _series(3, n=20)
    res = trend.theil_sen(y, years)
    ref = st.theilslopes(y, years, alpha=0.95)
    assert res.slope_low <= ref.slope <= res.slope_high
    w, wr = res.slope_high - res.slope_low, ref.high_slope - ref.low_slope
    assert 0.5 < w / wr < 2.0
    assert res.p_value < 0.01 and res.direction == "decreasing" and res.stars in ("**", "***")
    if res.p_value == 0:
        assert "p < 0.0017" in res.note  # 1/599


def test_theil_sen_is_reproducible_with_the_reported_seed():
    years, y = _series(4)
    a = trend.theil_sen(y, years, seed=7)
    b = trend.theil_sen(y, years, seed=7)
    c = trend.theil_sen(y, years, seed=8)
    assert (a.slope_low, a.slope_high) == (b.slope_low, b.slope_high)
    assert a.seed == 7 and (a.slope_low, a.slope_high) != (c.slope_low, c.slope_high)


def test_theil_sen_robust_to_outliers_like_siegel():
    # A perfect line (slope -1.5 / year) with 2 gross outliers among 20 points: most
    # pairwise slopes are exact, so both robust estimators return -1.5 exactly.
    years = np.arange(2005, 2025, dtype=float)
    y = 80 - 1.5 * (years - 2005)
    y[[3, 15]] += [40, -35]
    res = trend.theil_sen(y, years)
    assert res.slope == pytest.approx(-1.5, abs=1e-12)
    assert st.siegelslopes(y, years).slope == pytest.approx(res.slope, abs=1e-12)
    assert res.slope_percent == pytest.approx(-1.5 / 80 * 100, rel=1e-12)  # %/year of start value


def test_slope_is_per_year_not_per_step():
    # Monthly points: pymannkendall's Sen slope is per array step (per month);
    # ours is per year = 12 × that.
    y = _ar1(96, 0.3, 5, trend_per_step=-0.05) + 40
    x = 2015 + np.arange(96) / 12.0
    res = trend.theil_sen(y, x)
    assert res.slope == pytest.approx(12 * mk.sens_slope(y).slope, rel=1e-9)


def test_datetimes_become_decimal_years():
    idx = pd.date_range("2020-01-01", periods=4, freq="YS")
    assert trend.to_decimal_year(idx) == pytest.approx([2020, 2021, 2022, 2023])
    # 2021-07-02 12:00 is day 182.5 of 365 → 2021.5
    assert trend.to_decimal_year(pd.DatetimeIndex(["2021-07-02 12:00"]))[0] == pytest.approx(2021.5)
    s = pd.Series([50.0, 48, 45, 44, 40, 39, 37], index=pd.date_range("2016", periods=7, freq="YS"))
    assert trend.theil_sen(s).slope == pytest.approx(
        st.theilslopes(s.to_numpy(), np.arange(2016, 2023)).slope, rel=1e-3)


def test_x_is_required_for_plain_arrays():
    with pytest.raises(ValueError, match="array positions are not years"):
        trend.theil_sen([1.0, 2, 3, 4, 5, 6, 7])
    with pytest.raises(ValueError, match="array positions are not years"):
        trend.theil_sen(pd.Series([1.0, 2, 3, 4, 5, 6, 7]))  # default index 0 … 6
    with pytest.raises(ValueError, match="array positions are not years"):
        trend.theil_sen(np.array([1.0, 2, 3, 4, 5, 6, 7]))


def test_series_indexed_by_a_range_of_years():
    # pd.Series(..., index=range(2019, 2026)) has a RangeIndex of years, not positions.
    # 5 4 4.5 3 2.5 2.6 2: median of the 21 pairwise slopes = −0.5 per year (scipy agrees)
    y = [5, 4, 4.5, 3, 2.5, 2.6, 2]
    res = trend.theil_sen(pd.Series(y, index=range(2019, 2026)))
    assert res.slope == pytest.approx(st.theilslopes(y, np.arange(2019, 2026)).slope)
    assert res.slope == pytest.approx(-0.5) and res.x_start == 2019


def test_block_bootstrap_length_and_wider_interval_for_autocorrelated_data():
    y = _ar1(120, 0.8, 11) + 30
    x = 2015 + np.arange(120) / 12.0
    plain = trend.theil_sen(y, x)
    block = trend.theil_sen(y, x, autocor=True)
    assert block.block_length == round(120 ** (1 / 3)) == 5
    assert "block length 5" in block.method
    # positively autocorrelated noise: resampling single points understates the
    # uncertainty; blocks keep the dependence, so the interval is wider
    assert (block.slope_high - block.slope_low) > 1.2 * (plain.slope_high - plain.slope_low)


# ----------------------------------------------------------------- edge cases

@pytest.mark.parametrize("fn", [trend.theil_sen, trend.mann_kendall, trend.spearman_trend])
def test_fewer_than_six_points_says_so(fn):
    res = fn([3.0, 2, 4, 1, 0], [2020, 2021, 2022, 2023, 2024])
    assert res.trend_status == "too few points" and "5 valid, 6 needed" in res.note
    assert math.isnan(res.slope) and math.isnan(res.p_value)


@pytest.mark.parametrize("fn", [trend.theil_sen, trend.mann_kendall, trend.spearman_trend])
def test_constant_series(fn):
    res = fn([7.0] * 8, range(2015, 2023))
    assert res.trend_status == "constant series" and res.direction == "no trend"
    assert res.significant is False


def test_nans_are_dropped_pairwise():
    years, y = _series(6, n=12)
    y = y.copy()
    y[[2, 7]] = np.nan
    res = trend.theil_sen(y, years)
    ok = ~np.isnan(y)
    assert res.n == 10
    assert res.slope == pytest.approx(st.theilslopes(y[ok], years[ok]).slope, rel=1e-12)
    # six values but two NaN → four valid → too few
    assert trend.theil_sen([1, np.nan, 2, 3, np.nan, 4.0], range(6)).trend_status == "too few points"


# ----------------------------------------------------------------- Mann–Kendall

@pytest.mark.parametrize("y", [
    _ar1(60, 0.7, 1, trend_per_step=0.05),
    _ar1(40, 0.0, 2),
    _ar1(80, 0.5, 3, trend_per_step=-0.02),
    np.round(_ar1(50, 0.6, 4, 0.1), 1),  # some ties in the data
])
def test_hamed_rao_equals_pymannkendall(y):
    # yearly points (x = 1…n as pymannkendall's detrending uses): the Sen slope per year
    # equals pymannkendall's per-step slope, and detrended ties round the same way
    x = 1 + np.arange(len(y))
    res = trend.mann_kendall(y, x)
    ref = mk.hamed_rao_modification_test(y)
    assert res.statistic == pytest.approx(ref.z, rel=1e-9, abs=1e-12)
    assert res.p_value == pytest.approx(ref.p, rel=1e-9, abs=1e-12)
    assert res.direction == ref.trend
    assert res.slope == pytest.approx(ref.slope, rel=1e-9)  # yearly spacing: per step = per year


def test_heavily_tied_data_agree_with_pymannkendall_on_s_and_variance():
    # Integer data: S and the tie-corrected Var(S) are exact and must agree; the
    # Hamed-Rao factor may differ slightly because detrended exact ties are kept as
    # ties here (see the docstring): z agrees within 1 % (4.516 vs 4.524 here).
    y = np.round(_ar1(50, 0.6, 4, 0.1), 0)
    x = 1 + np.arange(50)
    ref0 = mk.original_test(y)
    res0 = trend.mann_kendall(y, x, hamed_rao=False)
    assert res0.statistic == pytest.approx(ref0.z, rel=1e-12)
    assert f"S = {ref0.s:.0f}, Var(S) = {ref0.var_s:.4g}" in res0.note
    assert trend.mann_kendall(y, x).statistic == pytest.approx(
        mk.hamed_rao_modification_test(y).z, rel=0.01)


def test_original_mann_kendall_equals_pymannkendall():
    y = _ar1(30, 0.2, 9, 0.08)
    res = trend.mann_kendall(y, np.arange(1990, 2020), hamed_rao=False)
    ref = mk.original_test(y)
    assert res.statistic == pytest.approx(ref.z, rel=1e-12)
    assert res.p_value == pytest.approx(ref.p, rel=1e-12)


def test_mann_kendall_by_hand():
    # y = 5, 3, 4, 1, 2, 0 in 2015…2020.  Pairs (i<j) sgn(y_j − y_i):
    # from 5: −−−−− (−5); from 3: + − − − (−2); from 4: −−− (−3); from 1: + − (0); from 2: − (−1)
    # S = −11.  Var(S) = 6·5·17/18 = 28.333; z = (−11 + 1)/√28.333 = −1.8787
    res = trend.mann_kendall([5.0, 3, 4, 1, 2, 0], range(2015, 2021), hamed_rao=False)
    assert res.statistic == pytest.approx(-10 / math.sqrt(510 / 18), rel=1e-12)
    assert "S = -11" in res.note
    assert res.p_value == pytest.approx(2 * st.norm.sf(10 / math.sqrt(510 / 18)), rel=1e-12)


# ----------------------------------------------------------------- Spearman (HJ 663)

@pytest.mark.parametrize("seed", [0, 1])
def test_spearman_equals_scipy(seed):
    years, y = _series(seed, n=11)
    res = trend.spearman_trend(y, years)
    ref = st.spearmanr(years, y)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-9)


def test_spearman_published_example():
    # Berthouex & Brown, Statistics for Environmental Engineers, ch. 31: taste ranks
    # 1…7 vs chemical ranks 1 3 2 4 6 5 7 → d = 0 −1 1 0 −1 1 0, Σd² = 4,
    # r_s = 1 − 6·4 / (7·(7² − 1)) = 1 − 24/336 = 0.9286; their Table 31.2 gives the
    # one-tailed 95 % critical value 0.714 for n = 7 → a significant correlation.
    res = trend.spearman_trend([1.0, 3, 2, 4, 6, 5, 7], [1, 2, 3, 4, 5, 6, 7])
    assert res.statistic == pytest.approx(1 - 24 / 336, abs=1e-12)
    assert res.critical_value == 0.714
    assert res.significant and res.direction == "increasing"


def test_spearman_critical_values_match_published_one_sided_table():
    # Berthouex & Brown Table 31.2, one-tailed 95 %: n = 5…10
    published = {5: 0.900, 6: 0.829, 7: 0.714, 8: 0.643, 9: 0.600, 10: 0.564}
    for n, w in published.items():
        assert trend.spearman_critical_value(n)[0] == w


@pytest.mark.parametrize("n", [5, 6, 7, 8, 9])
def test_spearman_critical_values_match_exact_permutation_distribution(n):
    # Exact null distribution of r_s from all n! orderings; W_p is the smallest value
    # with P(r_s ≥ W_p) ≤ alpha (one-sided).
    perms = np.array(list(itertools.permutations(range(n))))
    rs = 1 - 6 * ((perms - np.arange(n)) ** 2).sum(axis=1) / (n ** 3 - n)
    for alpha in (0.05, 0.01):
        values = np.unique(np.round(rs, 10))
        exact = min(v for v in values if np.mean(rs >= v - 1e-9) <= alpha)
        assert trend.spearman_critical_value(n, alpha)[0] == pytest.approx(exact, abs=5e-4)


def test_spearman_verdict_by_hand_small_n():
    # 2019…2024 PM2.5 50 47 48 44 41 42: ranks of y (ascending) 6 4 5 3 1 2 vs time
    # 1…6 → d = 5 2 2 −1 −4 −4, Σd² = 25+4+4+1+16+16 = 66; r_s = 1 − 6·66/210 = −0.8857.
    # |r_s| = 0.8857 ≥ W_p(6) = 0.829 → significant decrease (HJ 663 App. B).
    res = trend.spearman_trend([50.0, 47, 48, 44, 41, 42], range(2019, 2025))
    assert res.statistic == pytest.approx(1 - 6 * 66 / 210, abs=1e-12)
    assert res.critical_value == 0.829 and res.direction == "decreasing"
    # the same series with the last value 45 → ranks 6 4 5 2 1 3, Σd² = 25+4+4+4+16+9 = 62
    # r_s = −0.7714 < 0.829 in magnitude → no significant trend
    res2 = trend.spearman_trend([50.0, 47, 48, 44, 41, 45], range(2019, 2025))
    assert res2.statistic == pytest.approx(1 - 6 * 62 / 210, abs=1e-12)
    assert res2.significant is False and res2.direction == "no trend"


def test_spearman_large_n_uses_t_approximation():
    w, how = trend.spearman_critical_value(40)
    t = st.t.ppf(0.95, 38)
    assert w == pytest.approx(t / math.sqrt(38 + t * t)) and "Student-t" in how
    assert trend.spearman_critical_value(11)[0] == 0.564  # next smaller tabulated n (10)


# ----------------------------------------------------------------- monthly means

def test_monthly_means_capture_threshold_by_hand():
    # Daily values: January 2021 has 31 days, 20 valid → capture 20/31 = 0.645 < 0.75 →
    # missing (not a small mean).  February has 28 days, 21 valid → 0.75 → kept, mean of
    # the 21 values 1…21 = 11.  March all 31 valid (value 5) → 5.
    idx = pd.date_range("2021-01-01", "2021-03-31", freq="D")
    v = pd.Series(np.nan, index=idx)
    v[:20] = 100.0
    feb = idx[(idx.month == 2)]
    v[feb[:21]] = np.arange(1, 22, dtype=float)
    v[idx.month == 3] = 5.0
    m = trend.compute_monthly_means(v, capture=0.75)
    assert list(m["n_expected"]) == [31, 28, 31]
    assert list(m["n_valid"]) == [20, 21, 31]
    assert math.isnan(m["value"][0]) and not m["capture_ok"][0]
    assert m["value"][1] == pytest.approx(11.0) and m["value"][2] == 5.0


def test_monthly_means_infers_hourly_interval_and_judges_partial_months():
    # Hourly data from 2022-01-16: January has 16 days of 31 → capture 0.516 → missing.
    idx = pd.date_range("2022-01-16", "2022-02-28 23:00", freq="h", tz="Asia/Shanghai")
    m = trend.compute_monthly_means(pd.Series(1.0, index=idx))
    assert list(m["n_expected"]) == [744, 672]
    assert m["capture"][0] == pytest.approx(16 / 31) and math.isnan(m["value"][0])
    assert m["value"][1] == 1.0


# ----------------------------------------------------------------- STL

def _monthly(n_years=8, slope=-2.0, seed=0, amp=15.0):
    rng = np.random.default_rng(seed)
    idx = pd.date_range("2016-01-01", periods=12 * n_years, freq="MS")
    t = np.arange(len(idx)) / 12
    return pd.Series(50 + slope * t + amp * np.cos(2 * np.pi * (idx.month - 1) / 12)
                     + rng.normal(0, 2, len(idx)), index=idx)


def test_deseasonalise_matches_statsmodels_stl():
    from statsmodels.tsa.seasonal import STL

    s = _monthly()
    d = trend.deseasonalise(s)
    ref = STL(s.to_numpy(), period=12, seasonal=11, seasonal_deg=1, trend_deg=1,
              low_pass_deg=1, seasonal_jump=2, trend_jump=3, low_pass_jump=2,
              robust=True).fit(inner_iter=1, outer_iter=15)
    assert np.allclose(d["seasonal"], ref.seasonal, atol=1e-10)
    assert np.allclose(d["deseasonalised"], s.to_numpy() - ref.seasonal, atol=1e-10)
    assert not d["filled"].any()
    # the R-default settings are close to statsmodels' own defaults (robust STL)
    default = STL(s.to_numpy(), period=12, seasonal=11, robust=True).fit()
    assert np.max(np.abs(d["seasonal"] - default.seasonal)) < 1.0  # µg/m³, amplitude 15


def test_deseasonalised_trend_recovers_known_slope_and_flags_filled_months():
    s = _monthly(slope=-2.0, seed=3)
    s.iloc[[5, 30, 31, 70]] = np.nan
    res, frame = trend.compute_monthly_trend(s, unit="µg/m³", n_boot=199)
    assert frame["filled"].sum() == 4 and frame.loc[frame["filled"], "value"].isna().all()
    assert res.n == 96 - 4  # filled months are not data: left out of the fit
    assert res.slope == pytest.approx(-2.0, abs=0.15)  # µg/m³/year; noise sd 2
    assert res.slope_low < -2.0 < res.slope_high
    assert "robust STL" in res.method and "block length" in res.method
    # without deseasonalisation the seasonal cycle inflates the interval
    raw = trend.theil_sen(s, autocor=True, n_boot=199)
    assert (raw.slope_high - raw.slope_low) > 2 * (res.slope_high - res.slope_low)


def test_no_stl_with_two_cycles():
    s = _monthly(n_years=2)
    with pytest.raises(ValueError, match="3 complete seasonal cycles"):
        trend.deseasonalise(s)
    res, _ = trend.compute_monthly_trend(s, n_boot=99)
    assert "not deseasonalised by STL" in res.method and res.trend_status == "short series"


def test_hourly_series_to_monthly_trend():
    idx = pd.date_range("2019-01-01", "2022-12-31 23:00", freq="h")
    rng = np.random.default_rng(2)
    t = (idx - idx[0]) / pd.Timedelta(days=365.25)
    v = pd.Series(40 - 3 * t + 10 * np.cos(2 * np.pi * (idx.month - 1) / 12)
                  + rng.normal(0, 8, len(idx)), index=idx)
    v[(idx.year == 2020) & (idx.month == 6) & (idx.day > 5)] = np.nan  # June 2020 capture ≈ 17 %
    res, frame = trend.compute_monthly_trend(v, n_boot=199)
    assert frame.loc[frame["month"] == "2020-06-01", "filled"].item()
    assert res.slope == pytest.approx(-3.0, abs=0.3)
    assert "data capture >= 75%" in res.method


# ----------------------------------------------------------------- projection

def test_projection_of_a_perfect_line_by_hand():
    # 60, 58, …, 46 in 2015…2022: slope −2/year; 2025 → 60 − 2·10 = 40.  Every resample
    # of a perfect line gives the same line and the residuals are 0, so the interval is
    # [40, 40] and P(value ≤ 41) = 1, P(value ≤ 39) = 0.
    years = np.arange(2015, 2023)
    y = 60 - 2.0 * (years - 2015)
    p = trend.project_trend(y, years, target_year=2025, target=41, comparator="<=")
    assert p.projection == pytest.approx(40) and p.projection_low == pytest.approx(40)
    assert p.probability_met == 1.0
    assert trend.project_trend(y, years, target_year=2025, target=39).probability_met == 0.0


def test_projection_probability_is_between_for_noisy_data():
    years, y = _series(8, n=10, slope=-1.0, sd=2.0, start=2013)
    p = trend.project_trend(y, years, target_year=2025, target=float(np.median(y) - 8))
    assert 0 < p.probability_met < 1
    assert p.projection_low < p.projection < p.projection_high
    assert trend.project_trend(y[:4], years[:4], target_year=2025).projection_status == "too few points"


def test_bootstrap_is_fast_enough_for_ten_years_of_months():
    # Not a timing assertion: the vectorised bootstrap handles 120 points × 599 resamples
    # in chunks; check it returns a full set of resamples (no silent truncation).
    y = _ar1(120, 0.5, 1) + 20
    res = trend.theil_sen(y, 2015 + np.arange(120) / 12, autocor=True)
    assert res.n_boot == 599 and "dropped" not in res.note


def test_compute_trends_table_has_three_methods():
    years, y = _series(1, n=10)
    df = trend.compute_trends(y, years, unit="%")
    assert list(df["test"]) == ["theil_sen", "mann_kendall_hamed_rao", "spearman_hj663"]
    assert (df["n"] == 10).all() and (df["slope_unit"] == "%/year").all()


def test_spearman_perfect_order_reports_the_exact_p_value():
    # 6 strictly decreasing values: only 2 of 6! = 720 orderings give |rs| = 1 → p = 2/720
    res = trend.spearman_trend([6.0, 5, 4, 3, 2, 1], range(2015, 2021))
    assert res.statistic == -1.0 and res.p_value == pytest.approx(2 / 720)


def test_short_series_carry_the_reason_and_three_years_do_not():
    res, _ = trend.compute_monthly_trend(_monthly(n_years=3).iloc[:30], n_boot=99)
    assert "robust STL" not in res.method and "only 2 complete seasonal cycles (30 months)" in res.note
    res36, _ = trend.compute_monthly_trend(_monthly(n_years=3), n_boot=99)
    assert "robust STL" in res36.method and res36.status_reason == "" and res36.trend_status == "ok"


@pytest.mark.shared_data
def test_real_archive_monthly_means_agree_with_hj663_annual_mean(cnemc_dir):
    # Yangquan PM2.5, 2022, real CNEMC city archive.  Independent paths: our monthly
    # means of hourly values (capture ≥ 75 %) vs yqplan.air.stats' HJ 663 annual mean of
    # valid daily means.  The mean of 12 monthly means weights months equally, so allow
    # 1.5 µg/m³.  Winter must exceed summer (heating season), and no month is missing.
    from yqplan.air import stats as airstats
    from yqplan.air import cnemc

    hourly, _ = cnemc.read_cnemc(sorted(cnemc_dir.glob("城市_2022*.zip")), kind="cities",
                                 names=["阳泉"])
    m = trend.compute_monthly_means(hourly.set_index("time")["pm25"])
    assert len(m) == 12 and m["capture_ok"].all()
    days, _ = airstats.assess_hourly(hourly, edition="2012")
    annual = airstats.stats_frame(airstats.compute_annual_stats(days, 2022))["pm25"].iloc[0]
    assert m["value"].mean() == pytest.approx(annual, abs=1.5)
    assert m.loc[0, "value"] > 2 * m.loc[6, "value"]  # January vs July


def test_mann_kendall_published_worked_example():
    # "A Mann-Kendall Example (By Hand)", D. Little, College of the Holy Cross
    # (mathcs.holycross.edu/~little/Montserrat/MannKendallByHand.txt): 14 values,
    # 72 pairs up, 18 down, 1 tie → S = 54; V = 14·13·33/18 − 2·1·9/18 = 332.667;
    # Z = (S − 1)/√V = 2.9058; one-sided p ≈ 0.0018 (so two-sided ≈ 0.0037).
    y = [12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7]
    res = trend.mann_kendall(y, range(2000, 2014), hamed_rao=False)
    assert "S = 54, Var(S) = 332.7" in res.note
    assert res.statistic == pytest.approx(2.9058, abs=5e-5)
    assert res.p_value / 2 == pytest.approx(0.0018, abs=5e-5)
    assert res.direction == "increasing"


def test_probability_met_agrees_with_normal_theory_prediction():
    # Independent oracle: for a straight line plus normal noise, the OLS prediction
    # interval (statsmodels) gives P(value_2025 ≤ target) = T_{n−2}((target − ŷ)/se_pred).
    # The robust bootstrap estimate should agree on average (stated tolerance: mean
    # |difference| < 0.08 over 12 series; measured 0.048, worst 0.14).
    import statsmodels.api as sm

    diffs = []
    for seed in range(12):
        rng = np.random.default_rng(seed)
        yrs = np.arange(2011, 2025)
        y = 60 - 1.5 * (yrs - 2011) + rng.normal(0, 3, len(yrs))
        target = 60 - 1.5 * 14 + rng.normal(0, 2)
        fit = sm.OLS(y, sm.add_constant(yrs.astype(float))).fit()
        pred = fit.get_prediction(np.array([[1.0, 2025.0]])).summary_frame()
        se = math.sqrt(pred["mean_se"].iloc[0] ** 2 + fit.scale)
        p_ols = st.t.cdf((target - pred["mean"].iloc[0]) / se, len(yrs) - 2)
        p_bs = trend.project_trend(y, yrs, target_year=2025, target=target).probability_met
        diffs.append(abs(p_bs - p_ols))
    assert np.mean(diffs) < 0.08 and max(diffs) < 0.25


# ----------------------------------------------------------------- honest statistics (issue 12 item 5)

CRASH_SERIES = [
    (range(2019, 2026), [49.0, 52, 48, 54, 48, 49, 48]),           # n/n* < 0 (math domain error)
    (range(2017, 2026), [56.0, 54, 58, 50, 52, 52, 42, 51, 43]),   # n/n* = 0 (ZeroDivisionError)
]


@pytest.mark.parametrize("years,y", CRASH_SERIES)
def test_hamed_rao_undefined_correction_gives_no_p_value_like_pymannkendall(years, y):
    # Reference: pymannkendall's corrected variance is var_s_original * n/n*; where that is
    # not positive the correction is undefined.  pymannkendall returns p = NaN for n/n* < 0
    # (sqrt of a negative) and, for n/n* = 0 exactly, z = -inf from a division by zero —
    # no usable p-value in either case.  Ours: no p-value, the reason, and the ratio.
    ref = mk.hamed_rao_modification_test(np.array(y))
    ref0 = mk.original_test(np.array(y))
    ratio_ref = ref.var_s / ref0.var_s
    assert ratio_ref <= 1e-12
    assert not np.isfinite(ref.z) or not np.isfinite(ref.p)
    res = trend.mann_kendall(y, years)
    assert res.variance_ratio == pytest.approx(ratio_ref, abs=1e-9)
    assert math.isnan(res.p_value) and math.isnan(res.statistic)
    assert res.significant is None and res.direction == ""
    assert res.trend_status == trend.STATUS_UNDEFINED
    assert "n/n*" in res.status_reason and "no p-value" in res.status_reason
    assert res.slope == pytest.approx(ref.slope, rel=1e-9)  # the Sen slope stands


def test_hamed_rao_ratio_is_reported_where_defined():
    y = _ar1(60, 0.7, 1, trend_per_step=0.05)
    res = trend.mann_kendall(y, 1 + np.arange(60))
    ref, ref0 = mk.hamed_rao_modification_test(y), mk.original_test(y)
    assert res.variance_ratio == pytest.approx(ref.var_s / ref0.var_s, rel=1e-9)
    assert res.trend_status == "ok"


def _months(n, start="2022-01-01", slope=-3.0, seed=0, phi=0.4, sd=8.0):
    idx = pd.date_range(start, periods=n, freq="MS")
    t = trend.to_decimal_year(idx)
    rng = np.random.default_rng(seed)
    e = rng.normal(0, sd, n)
    ar = np.empty(n)
    ar[0] = e[0]
    for i in range(1, n):
        ar[i] = phi * ar[i - 1] + e[i] * math.sqrt(1 - phi * phi)
    return pd.Series(50 + slope * (t - t[0]) + 25 * np.cos(2 * np.pi * (idx.month - 1) / 12) + ar,
                     index=idx)


def test_seasonal_cycles_counts_the_least_observed_calendar_month():
    # 2022-01 … 2024-02: January and February three times, the other months twice → 2
    s = _months(26)
    assert trend.seasonal_cycles(s) == 2
    assert trend.seasonal_cycles(_months(36)) == 3
    s36 = _months(36)
    s36.iloc[[4, 16]] = np.nan  # May observed once
    assert trend.seasonal_cycles(s36) == 1


def test_fewer_than_three_cycles_fall_back_to_calendar_month_anomalies_and_say_so():
    s = _months(26)
    res, frame = trend.compute_monthly_trend(s, unit="µg/m³", n_boot=199)
    assert res.trend_status == trend.STATUS_SHORT
    assert res.seasonal_cycles == 2 and res.deseasonalisation == "calendar-month means"
    assert "3" in res.status_reason and "STL" in res.status_reason
    assert "calendar month" in res.method and "robust STL" not in res.method
    # hand check of the fallback estimator: Theil–Sen on value − its calendar month's mean
    t = trend.to_decimal_year(s.index)
    anom = s - s.groupby(s.index.month).transform("mean")
    assert res.slope == pytest.approx(st.theilslopes(anom.to_numpy(), t).slope, rel=1e-12)
    # the interval is honest: wide, not the ±0.02 STL gave on 26 months
    assert res.slope_high - res.slope_low > 2.0
    assert res.slope_low < -3.0 < res.slope_high
    assert not frame["filled"].any()


def test_fallback_interval_covers_the_true_slope_near_nominally():
    # 40 series of 26 AR(1) months with a known slope −3/year: the 95 % interval must
    # cover −3 in at least 80 % of them (measured 0.93 with 100 series; the STL +
    # deseasonalised bootstrap of openair covered 0 %).
    hits = []
    for seed in range(40):
        res, _ = trend.compute_monthly_trend(_months(26, seed=100 + seed), n_boot=199, seed=seed)
        hits.append(res.slope_low <= -3.0 <= res.slope_high)
    assert np.mean(hits) >= 0.8


def test_twelve_months_give_no_trend_with_the_reason():
    res, _ = trend.compute_monthly_trend(_months(12), n_boot=99)
    assert res.trend_status == trend.STATUS_FEW and math.isnan(res.slope)
    assert "calendar month" in res.status_reason


def test_no_month_is_imputed_outside_the_data_span():
    # daily data from 2021-12-31 (one stub day) to 2026-02-10: December 2021 and
    # February 2026 fail capture; they must not be filled, only interior gaps.
    idx = pd.date_range("2021-12-31", "2026-02-10", freq="D")
    v = pd.Series(40 + 10 * np.cos(2 * np.pi * (idx.month - 1) / 12), index=idx)
    v[(idx.year == 2023) & (idx.month == 7)] = np.nan  # an interior gap
    res, frame = trend.compute_monthly_trend(v, n_boot=99)
    assert frame["month"].min() == pd.Timestamp("2022-01-01")
    assert frame["month"].max() == pd.Timestamp("2026-01-01")
    assert list(frame.loc[frame["filled"], "month"]) == [pd.Timestamp("2023-07-01")]


def test_stl_needs_three_cycles_and_its_interval_is_not_overconfident():
    s = _months(48, seed=5)
    res, frame = trend.compute_monthly_trend(s, n_boot=199)
    assert res.trend_status == "ok" and res.deseasonalisation == "stl"
    assert res.seasonal_cycles == 4 and "robust STL" in res.method
    with pytest.raises(ValueError, match="3 complete seasonal cycles"):
        trend.deseasonalise(_months(30))
    # coverage over 30 series of 48 months (openair's deseasonalised bootstrap: 0.79 at
    # 48 months in 80 series; here the seasonal fit is refitted in every resample)
    hits = []
    for seed in range(30):
        r, _ = trend.compute_monthly_trend(_months(48, seed=200 + seed), n_boot=199, seed=seed)
        hits.append(r.slope_low <= -3.0 <= r.slope_high)
    assert np.mean(hits) >= 0.8


@pytest.mark.shared_data
def test_real_26_months_are_flagged_and_the_interval_is_honest(cnemc_dir):
    from yqplan import analyses
    from yqplan.air import stats as airstats
    from yqplan.air import cnemc

    hourly, _ = cnemc.read_cnemc(sorted(cnemc_dir.glob("城市_20*.zip")), kind="cities",
                                 names=["阳泉"])
    days, _ = airstats.assess_hourly(hourly, edition="2012")
    res, months = analyses.compute_monthly_trend(days, "pm25")
    assert months.index.min() == pd.Timestamp("2022-01-01")  # not 2021-12 (a one-day stub)
    assert months.index.max() == pd.Timestamp("2024-02-01")
    assert res.trend_status == trend.STATUS_SHORT and res.seasonal_cycles == 2
    assert res.n == 26
    assert res.slope_high - res.slope_low > 1.0  # was −3.05 to −3.01


def test_trend_sentence_states_method_status_and_reason():
    from yqplan.report import trend_text

    short, _ = trend.compute_monthly_trend(_months(26), n_boot=99)
    zh, en = trend_text.monthly_trend_sentences(short)
    assert "短序列" in zh and "仅 2 个完整季节周期" in zh and "同历月均值" in zh
    assert "Short series" in en and "only 2 complete seasonal cycles" in en
    # the direction follows the interval: this one includes 0 → no direction
    assert (short.slope_low < 0 < short.slope_high) == ("不能判断升降" in zh)
    few, _ = trend.compute_monthly_trend(_months(12), n_boot=99)
    zh, en = trend_text.monthly_trend_sentences(few)
    assert "不给出趋势" in zh and "斜率" not in zh and "No trend is stated" in en
    ok, _ = trend.compute_monthly_trend(_months(48, slope=-6.0, sd=2.0), n_boot=99)
    zh, en = trend_text.monthly_trend_sentences(ok)
    assert "稳健 STL" in zh and "4 个完整季节周期" in zh and "下降" in zh
