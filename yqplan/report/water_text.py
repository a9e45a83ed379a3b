"""Sentences on the data behind the water classes, computed from the classes.

:func:`sufficiency_sentences` says, per section, how many months rest on sufficient
data (:data:`yqplan.water.gb3838.WATER_MIN_COVERAGE_PCT`) and which listed sections have no
data at all (``无数据：温河辛庄``); :func:`share_sentences` says which periods' plan
shares could be computed from sufficient data.  See docs/water_sufficiency.md.
"""

from __future__ import annotations

from yqplan.report import words
from yqplan.report.present import escape_markdown
from yqplan.water import gb3838


def sufficiency_sentences(classes, section_names) -> tuple[str, str]:
    """(Chinese, English) sentence: sufficient months per section, sections without data.

    ``classes``: :func:`yqplan.water.gb3838.classify_periods` output (by month);
    ``section_names``: the sections the report covers (``data/water/sections.csv``).
    """
    missing = gb3838.sections_without_data(classes, section_names)
    months = {}
    for name in section_names:
        if name in missing:
            continue
        c = classes[classes["section_name"] == name]
        n_thin = int((c["water_class"].notna() & ~c["sufficient"].astype(bool)).sum())
        # the section's name is data (sections.csv): never markup
        months[escape_markdown(name)] = (int(c["sufficient"].astype(bool).sum()), len(c), n_thin)
    missing = [escape_markdown(m) for m in missing]

    def sentence(language):
        parts = [words.word("water.sufficient_months", language, name=name, ok=ok, all=n, thin=thin)
                 for name, (ok, n, thin) in months.items()]
        text = words.word("water.sufficiency", language, thr=gb3838.WATER_MIN_COVERAGE_PCT,
                          parts=words.word("punct.clause_sep", language).join(parts))
        if missing:
            text += words.word("water.sections_without_data", language,
                               names=words.word("punct.list_sep", language).join(missing))
        return text

    return sentence("zh"), sentence("en")


def share_sentences(shares) -> tuple[str, str]:
    """(Chinese, English) sentence on which periods have shares from sufficient data.

    ``shares``: :func:`yqplan.water.gb3838.compute_plan_indicators` output.
    """
    have = shares[shares["n_sections"] > 0]
    none = shares[shares["n_sections"] == 0]

    def sentence(language):
        sep = words.word("punct.list_sep", language)
        text = words.word("water.shares_sufficient_only", language, thr=gb3838.WATER_MIN_COVERAGE_PCT)
        if len(have):
            text += words.word("water.shares_computed_for", language, periods=sep.join(
                words.word("water.period_sections", language, period=r.period_label, n=r.n_sections)
                for r in have.itertuples()))
        if len(none):
            text += words.word("water.shares_none", language,
                               periods=sep.join(none["period_label"].astype(str)))
        return text

    return sentence("zh"), sentence("en")


_BASIS_EN = {gb3838.BASIS_AUTO: "recomputed from automatic data (not the official assessment)",
             gb3838.BASIS_MANUAL: "laboratory data (classified here by GB 3838)"}


_EN_NAMES = {"ph": "pH", "do": "DO", "codmn": "CODMn", "nh3n": "NH3-N", "tp": "TP", "tn": "TN",
             "cod": "COD", "bod5": "BOD5", "temp": "temperature"}


def classes_view(classes, language: str = "zh"):
    """The data-sufficiency table for readers: indicator keys (``ph,do``) as names
    (pH、溶解氧) and the basis in words, numbers left as they are for the table and its CSV."""
    cols = ["section_name", "period_label", "class_label", "main_pollutants", "n_valid",
            "coverage_pct", "sufficient", "indicators_missing", "basis"]
    out = classes[[c for c in cols if c in classes.columns]].copy()

    def names(v):
        keys = [k for k in str(v or "").split(",") if k]
        return words.word("punct.list_sep", language).join(
            words.pick((gb3838.INDICATORS[k][0] if k in gb3838.INDICATORS else k,
                        _EN_NAMES.get(k, k)), language) for k in keys)

    if "indicators_missing" in out:
        out["indicators_missing"] = out["indicators_missing"].map(names)
    if "basis" in out:
        out["basis"] = out["basis"].map(
            lambda b: words.pick((gb3838.BASIS_TEXT, _BASIS_EN), language).get(b, b))
    return out


#: The public API of this module (anything else is private to it).
__all__ = ["sufficiency_sentences", "share_sentences", "classes_view"]
