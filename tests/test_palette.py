"""One palette (yqplan.report.palette): no hex colour written anywhere else but the AQI
colours of the standard (yqplan.air.aqi), and every palette entry is a colour."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from yqplan.report import palette

ROOT = Path(__file__).resolve().parents[1]
HEX = re.compile(r"(?<![\w&/])#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})(?![\w-])")
ALLOWED = {ROOT / "yqplan" / "report" / "palette.py", ROOT / "yqplan" / "air" / "aqi.py"}


def _hex_literals(text: str) -> list[str]:
    return [m.group(0) for m in HEX.finditer(text)]


def test_no_hex_colour_outside_the_palette_and_the_standard():
    files = sorted((ROOT / "yqplan").rglob("*.py")) + sorted((ROOT / "notebooks").glob("[0-9]*.py"))
    found = {str(p.relative_to(ROOT)): hits for p in files if p not in ALLOWED
             if (hits := _hex_literals(p.read_text(encoding="utf-8")))}
    assert not found, f"hex colours outside yqplan/report/palette.py: {found}"


def test_the_scan_sees_hex_colours_and_not_other_hashes():
    assert _hex_literals('ax.axhline(t, color="#c0392b")  border: 1px solid #ccc;') == ["#c0392b", "#ccc"]
    assert _hex_literals('"13-1#20" # add a note  &#123; url#abc-def') == []


def test_every_palette_entry_is_a_colour():
    from matplotlib.colors import is_color_like

    values = []
    for name in dir(palette):
        v = getattr(palette, name)
        if name.isupper():
            values += list(v.values()) if isinstance(v, dict) else list(v) if isinstance(v, tuple) else [v]
    assert len(values) > 40
    assert all(isinstance(v, str) and is_color_like(v) for v in values), values


@pytest.mark.parametrize("level, hex_", [(1, "#00E400"), (2, "#FFFF00"), (3, "#FF7E00"), (4, "#FF0000"),
                                         (5, "#99004C"), (6, "#7E0023")])
def test_aqi_colours_are_the_standards(level, hex_):
    """HJ 633—2012 Appendix A (RGB 0,228,0 / 255,255,0 / 255,126,0 / 255,0,0 / 153,0,76 /
    126,0,35): the palette reads them from yqplan.air.aqi, it does not copy them."""
    assert palette.aqi_colour(level) == hex_
    assert hex_ not in palette.__dict__.values()


def test_modules_use_the_palette_names():
    from yqplan.report import plots, plots_air
    from yqplan.water import gb3838

    assert plots.POLLUTANT_COLOURS is palette.POLLUTANT_COLOURS is plots_air.POLLUTANT_COLOURS
    assert plots.VERDICT_COLOURS is palette.VERDICT_COLOURS
    assert plots.water_colours()[6] == palette.WATER_STATUS["red"] == gb3838.QUALITY[6][2]
