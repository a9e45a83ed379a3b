"""Column glossary: every column name the library returns, with its meaning and unit.

One dict per topic, each owned by the module that returns those columns;
``GLOSSARY`` merges them.  Units in brackets: ``pm25 [µg/m³]``.
"""

PLAN = {
    # filled by yqplan.plan
}

AIR = {
    # filled by yqplan.cnemc / store / aqi / airstats
}

WATER = {
    # filled by yqplan.water / gb3838
}

TRENDS = {
    # filled by yqplan.trend / targets
}

REPORT = {
    # filled by yqplan.report
}


def glossary() -> dict:
    """All columns, merged; a name defined twice must mean the same."""
    out: dict = {}
    for part in (PLAN, AIR, WATER, TRENDS, REPORT):
        for k, v in part.items():
            if k in out and out[k] != v:
                raise ValueError(f"glossary: column {k!r} defined twice differently")
            out[k] = v
    return out
