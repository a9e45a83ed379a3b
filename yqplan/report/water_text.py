"""Sentences on the data behind the water classes, computed from the classes.

:func:`sufficiency_sentences` says, per section, how many months rest on sufficient
data (:data:`yqplan.water.gb3838.WATER_MIN_COVERAGE_PCT`) and which listed sections have no
data at all (``无数据：温河辛庄``); :func:`share_sentences` says which periods' plan
shares could be computed from sufficient data.  See docs/water_sufficiency.md.
"""

from __future__ import annotations

from yqplan.report.present import escape_markdown
from yqplan.water import gb3838


def sufficiency_sentences(classes, section_names) -> tuple[str, str]:
    """(Chinese, English) sentence: sufficient months per section, sections without data.

    ``classes``: :func:`yqplan.water.gb3838.classify_periods` output (by month);
    ``section_names``: the sections the report covers (``data/water/sections.csv``).
    """
    thr = gb3838.WATER_MIN_COVERAGE_PCT
    parts_zh, parts_en = [], []
    missing = gb3838.sections_without_data(classes, section_names)
    for name in section_names:
        if name in missing:
            continue
        c = classes[classes["section_name"] == name]
        n_all, n_ok = len(c), int(c["sufficient"].astype(bool).sum())
        n_thin = int((c["water_class"].notna() & ~c["sufficient"].astype(bool)).sum())
        shown = escape_markdown(name)  # data (sections.csv): never markup
        parts_zh.append(f"{shown} {n_ok}/{n_all} 个月数据充足（{n_thin} 个月有类别但数据不足）")
        parts_en.append(f"{shown}: {n_ok} of {n_all} months sufficient ({n_thin} with a class "
                        "from insufficient data)")
    zh = (f"数据充足指当月有效自动监测读数不少于应有4小时读数的 {thr:g}%。" + "；".join(parts_zh)
          + "。数据不足的月份在图中以灰色斜线标为“数据不足”，不按类别着色，也不计入Ⅰ～Ⅲ类与劣Ⅴ类比例。")
    en = (f"A month is sufficient when its valid automatic readings cover at least {thr:g} % of "
          "its 4-hourly slots. " + "; ".join(parts_en) + ". Insufficient months are drawn grey "
          "and hatched (insufficient data), not in a class colour, and are not counted in the "
          "I–III and worse-than-V shares.")
    if missing:
        missing = [escape_markdown(m) for m in missing]
        zh += "无数据：" + "、".join(missing) + "（自动监测数据中没有该断面）。"
        en += " No data: " + ", ".join(missing) + " (the section is not in the automatic data)."
    return zh, en


def share_sentences(shares) -> tuple[str, str]:
    """(Chinese, English) sentence on which periods have shares from sufficient data.

    ``shares``: :func:`yqplan.water.gb3838.compute_plan_indicators` output.
    """
    thr = gb3838.WATER_MIN_COVERAGE_PCT
    have = shares[shares["n_sections"] > 0]
    none = shares[shares["n_sections"] == 0]
    zh = f"比例只计数据充足（覆盖率≥{thr:g}%）的断面。"
    en = f"Shares count only sections with sufficient data (coverage ≥ {thr:g} %)."
    if len(have):
        zh += "可计算的时段：" + "、".join(
            f"{r.period_label}（{r.n_sections} 个断面）" for r in have.itertuples()) + "。"
        en += " Computed for: " + ", ".join(
            f"{r.period_label} ({r.n_sections} sections)" for r in have.itertuples()) + "."
    if len(none):
        zh += "、".join(none["period_label"].astype(str)) + "：没有数据充足的断面，不计算比例。"
        en += (" " + ", ".join(none["period_label"].astype(str))
               + ": no section with sufficient data, no share computed.")
    return zh, en


#: The public API of this module (anything else is private to it).
__all__ = ["sufficiency_sentences", "share_sentences"]
