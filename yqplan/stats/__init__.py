"""Trend statistics with their uncertainty (``trend``): Theil–Sen, Mann–Kendall
(Hamed–Rao), HJ 663 Spearman, deseasonalised monthly trends and projections."""

from yqplan._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["trend"], {
    "TrendResult": "trend", "ProjectionResult": "trend", "theil_sen": "trend",
    "mann_kendall": "trend", "spearman_trend": "trend", "compute_monthly_trend": "trend",
    "project_trend": "trend",
})
