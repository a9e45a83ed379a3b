"""Surface water: the automatic monitoring snapshots and manual data (``monitoring``) and
their classification by GB 3838—2002 with the 2011 evaluation rules (``gb3838``)."""

from yqplan._lazy import attach

__getattr__, __dir__, __all__ = attach(__name__, ["gb3838", "monitoring"], {
    "read_water_auto": "monitoring", "read_water_manual": "monitoring",
    "read_sections": "monitoring",
    "classify_section": "gb3838", "classify_periods": "gb3838", "assess_groups": "gb3838",
    "compute_plan_indicators": "gb3838", "sections_without_data": "gb3838",
})
