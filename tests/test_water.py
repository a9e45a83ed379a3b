"""Surface-water readers: every quirk of the snapshots (hand-made fixtures and the real
Shanxi files), the manual template and the sections table."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from yqplan.water import gb3838
from yqplan.water import monitoring as water
from yqplan.cli import main
from yqplan.errors import DataFileError

HERE = Path(__file__).parent / "data" / "water"
SNAP = HERE / "snapshots"
REAL_ZIP = "国家地表水水质自动监测_山西省_2021-2023.zip"


@pytest.fixture(scope="module")
def fixture_read():
    return water.read_water_auto(SNAP)


def _value(df, section, time, indicator):
    t = pd.Timestamp(time, tz="Asia/Shanghai")
    sel = df[(df["section_name"] == section) & (df["sampled_at"] == t) & (df["indicator"] == indicator)]
    return sel


# ------------------------------------------------- hand-made snapshots ---

def test_files_read_and_skipped_with_reasons(fixture_read):
    _, meta = fixture_read
    reasons = {Path(s["file"]).name: s["reason"] for s in meta["files_skipped"]}
    assert "empty" in reasons["utf8_2022_03_05_09h10m_国家地表水水质自动监测系统检测数据.csv"]
    assert "unexpected header" in reasons["2022_03_07_05h00m_国家地表水水质自动监测系统检测数据.csv"]
    assert "no snapshot time" in reasons["国家地表水水质自动监测系统检测数据.csv"]
    assert meta["files_read"] == 7 and meta["files_header_only"] == 1 and meta["files_empty"] == 1


def test_both_encodings_and_mislabelled_utf8(fixture_read):
    df, meta = fixture_read
    assert meta["encodings"] == {"gb18030": 7, "utf-8": 1}  # incl. header-only and foreign header
    assert [Path(p).name for p in meta["encoding_mismatch"]] == [
        "utf8_2022_03_06_13h00m_国家地表水水质自动监测系统检测数据.csv"]
    # both decoded to the right section name (not mojibake)
    assert set(df["section_name"]) == {"甲断面", "乙断面"}


def test_rows_with_a_wrong_field_count_are_listed(fixture_read):
    df, meta = fixture_read
    assert [(Path(b["file"]).name, b["line"]) for b in meta["bad_lines"]] == [
        ("2022_03_06_17h00m_国家地表水水质自动监测系统检测数据.csv", 3)]
    assert "7 fields; expected 17" in meta["bad_lines"][0]["reason"]
    assert _value(df, "乙断面", "2022-03-06 20:00", "ph").empty
    assert len(_value(df, "乙断面", "2022-03-06 16:00", "ph")) == 1


def test_year_less_times_take_the_year_of_the_file(fixture_read):
    df, meta = fixture_read
    assert len(_value(df, "甲断面", "2022-03-05 12:00", "do")) == 1
    assert len(_value(df, "乙断面", "2022-03-06 08:00", "codmn")) == 1  # YYYY/M/D H:MM
    # a December reading in a January snapshot is the year before
    assert len(_value(df, "甲断面", "2022-12-31 20:00", "ph")) == 1
    assert len(_value(df, "甲断面", "2023-01-01 00:00", "ph")) == 1
    assert str(df["sampled_at"].dt.tz) == "Asia/Shanghai"
    assert meta["time_formats"] == {"MM-DD HH:MM": 10, "YYYY/M/D HH:MM": 1, "blank or other": 1}


def test_sentinels_become_missing(fixture_read):
    df, _ = fixture_read
    # 乙 03-05 04:00 has '--' conductivity and '*' chlorophyll: no rows for them
    assert _value(df, "乙断面", "2022-03-05 04:00", "conductivity").empty
    assert _value(df, "乙断面", "2022-03-05 04:00", "chla").empty
    assert _value(df, "乙断面", "2022-03-05 04:00", "ph")["value"].iloc[0] == 8.0
    assert df["value"].notna().all()


def test_duplicates_across_snapshots_keep_the_latest(fixture_read):
    df, meta = fixture_read
    # 甲 04:00 published twice, NH3-N revised 0.800 -> 0.900; 乙 04:00 twice, identical
    assert _value(df, "甲断面", "2022-03-05 04:00", "nh3n")["value"].tolist() == [0.9]
    assert len(_value(df, "乙断面", "2022-03-05 04:00", "ph")) == 1
    assert meta["duplicate_rows"] == 2 and meta["duplicate_conflicts"] == 1
    first, _ = water.read_water_auto(SNAP, keep="first")
    assert _value(first, "甲断面", "2022-03-05 04:00", "nh3n")["value"].tolist() == [0.8]


def test_maintenance_kept_but_invalid_and_blank_time_dropped(fixture_read):
    df, meta = fixture_read
    m = _value(df, "甲断面", "2022-03-05 08:00", "nh3n")
    assert m["value"].iloc[0] == 9.9 and m["station_status"].iloc[0] == "维护"
    assert not m["valid"].iloc[0] and pd.isna(m["station_class"].iloc[0])
    assert "不具备运行条件" not in set(df["station_status"])  # its only row had no time
    s = meta["steps"]
    # 12 data rows (one more cut short, left out); 1 blank time; 2 duplicate copies;
    # 1 maintenance reading
    assert (s["rows_read"], s["rows_with_time"], s["unique_readings"], s["valid_readings"]) == (12, 11, 9, 8)
    assert s["values_possible"] == 9 * 11
    assert s["values_valid"] == df["valid"].sum()


def test_station_class_parsed(fixture_read):
    df, _ = fixture_read
    assert _value(df, "甲断面", "2022-03-05 12:00", "ph")["station_class"].iloc[0] == 6
    assert _value(df, "乙断面", "2022-03-06 08:00", "ph")["station_class"].iloc[0] == 4


def test_zip_and_names_filter(tmp_path, fixture_read):
    z = tmp_path / "snap.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for p in sorted(SNAP.iterdir()):
            zf.write(p, f"2022年/{p.name}")
    df, meta = water.read_water_auto(z, names=["乙断面"])
    assert set(df["section_name"]) == {"乙断面"}
    ref = fixture_read[0]
    assert len(df) == (ref["section_name"] == "乙断面").sum()
    assert meta["steps"]["rows_of_selected_sections"] == 6


def test_corrupt_zip_member_is_skipped_and_named(tmp_path, fixture_read):
    # Flip bytes inside one deflated member (the one with the wrong header, so the
    # readings are those of the plain folder): zlib fails on it; the batch goes on.
    z = tmp_path / "snap.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(SNAP.iterdir()):
            zf.write(p, p.name)
    target = "2022_03_07_05h00m_国家地表水水质自动监测系统检测数据.csv"
    with zipfile.ZipFile(z) as zf:
        info = zf.getinfo(target)
    data = bytearray(z.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 5, start + 40):
        data[i] ^= 0x5A
    z.write_bytes(bytes(data))
    df, meta = water.read_water_auto(z)
    reasons = {s["file"].rsplit("!", 1)[-1]: s["reason"] for s in meta["files_skipped"]}
    assert reasons[target].startswith("cannot read")
    assert len(df) == len(fixture_read[0])


def test_undecodable_file_is_skipped_and_named(tmp_path, fixture_read):
    # 0xFF starts no UTF-8 or GB18030 sequence: the file is skipped with its name and the
    # rest of the folder is read exactly as without it.
    folder = tmp_path / "snap"
    shutil.copytree(SNAP, folder)
    bad = folder / "2022_03_08_10h00m_国家地表水水质自动监测系统检测数据.csv"
    bad.write_bytes(b"\xff\xfe\xff\x00garbage")
    df, meta = water.read_water_auto(folder)
    reasons = {Path(s["file"]).name: s["reason"] for s in meta["files_skipped"]}
    assert reasons[bad.name].startswith("not text in UTF-8 or GB18030 (byte 0")
    assert len(df) == len(fixture_read[0])


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        water.read_water_auto(tmp_path / "nope")


def test_recomputed_class_of_fixture_agrees_with_station(fixture_read):
    df, _ = fixture_read
    ag = gb3838.compute_agreement(df, by=None).set_index("section_name")
    # 乙 readings: II, II(dup), IV (CODMn 7.0), II, II — the station printed II, IV, II, II
    assert ag.loc["乙断面", "n_compared"] == 4 and ag.loc["乙断面", "agree_pct"] == 100.0
    # 甲 03-05 12:00: DO 1.5 -> 劣V as printed; 04:00 NH3-N 0.9 -> III as printed
    assert ag.loc["甲断面", "n_agree"] == ag.loc["甲断面", "n_compared"]


# ----------------------------------------------------- the real files ---

@pytest.fixture(scope="module")
def real(request):
    water_dir = request.getfixturevalue("water_dir")
    if not (water_dir / REAL_ZIP).exists():
        pytest.skip(f"{water_dir / REAL_ZIP} not found")
    return water.read_water_auto(water_dir)


@pytest.mark.shared_data
def test_real_file_counts(real):
    df, meta = real
    # 2931 zip members: 3 folders, 224 empty, 2704 with a header (53 of them header only)
    assert meta["files_read"] == 2704 and meta["files_empty"] == 224
    assert meta["files_header_only"] == 53
    assert all(s["reason"] == "empty file (0 bytes)" for s in meta["files_skipped"])
    assert meta["bad_lines"] == []
    assert meta["steps"]["rows_read"] == 107947


@pytest.mark.shared_data
def test_real_encodings_named_utf8_are_gb18030(real):
    _, meta = real
    # every non-empty file is GB18030, including six named utf8_ / utf8_utf8_
    assert meta["encodings"] == {"gb18030": 2704}
    assert len(meta["encoding_mismatch"]) == 6
    assert all("/utf8_" in p for p in meta["encoding_mismatch"])


@pytest.mark.shared_data
def test_real_time_formats_and_years(real):
    df, meta = real
    assert meta["time_formats"] == {"MM-DD HH:MM": 106335, "YYYY/M/D HH:MM": 270,
                                    "blank or other": 1342}
    t = df["sampled_at"]
    assert t.min() >= pd.Timestamp("2021-06-01", tz="Asia/Shanghai")
    assert t.max() < pd.Timestamp("2024-01-01", tz="Asia/Shanghai")
    # readings are on the stations' 4-hour cycle
    assert set(t.dt.minute) == {0}


@pytest.mark.shared_data
def test_real_duplicates_and_status(real):
    df, meta = real
    steps = meta["steps"]
    assert steps["rows_with_time"] == 107947 - 1342
    assert steps["unique_readings"] == steps["rows_with_time"] - meta["duplicate_rows"]
    assert meta["duplicate_conflicts"] > 0  # readings revised between snapshots
    assert not df.duplicated(["section_name", "sampled_at", "indicator"]).any()
    assert set(meta["status_counts"]) == {"正常", "维护"}
    assert not df.loc[df["station_status"] == "维护", "valid"].any()
    assert df.loc[df["station_status"] == "正常", "valid"].all()


@pytest.mark.shared_data
def test_real_sentinels_and_values(real):
    df, meta = real
    assert meta["unparsable_values"] == 0
    assert steps_ok(meta["steps"])
    ph = df.loc[df["indicator"] == "ph", "value"]
    assert ph.between(0, 14).all() and (df["value"] >= 0).all()
    assert not df["value"].isin([-1.0]).any()  # no sentinel leaked as a number
    assert set(df["station_class"].dropna().unique()) <= {1, 2, 3, 4, 5, 6}


def steps_ok(s):
    return (s["rows_read"] >= s["rows_with_time"] >= s["unique_readings"] >= s["valid_readings"]
            and s["values_possible"] >= s["values_present"] >= s["values_numeric"] >= s["values_valid"])


@pytest.mark.shared_data
def test_real_blank_times_are_not_operating_or_maintenance_rows(real):
    _, meta = real
    # the 1342 rows with a blank time (a non-breaking space) are all the 不具备运行条件 rows
    # (861) and some 维护 rows: after dropping them, no 不具备运行条件 is left
    assert meta["steps"]["rows_read"] - meta["steps"]["rows_with_time"] == 1342
    assert "不具备运行条件" not in meta["status_counts"]


@pytest.mark.shared_data
def test_real_reservoir_outlets_are_classed_with_river_tp(real):
    df, _ = real
    sub = df[df["section_name"].isin(["东榆林水库出口", "册田水库出口"])]
    river = gb3838.compute_agreement(sub, by=None).set_index("section_name")["agree_pct"]
    lake = gb3838.compute_agreement(sub, by=None, sections={"东榆林水库出口": "lake", "册田水库出口": "lake"}) \
        .set_index("section_name")["agree_pct"]
    # the stations' printed classes follow the river TP limits, not the lake ones
    assert (river > 95).all() and (lake < 50).all()


@pytest.mark.shared_data
def test_real_empty_snapshot_listed_with_reason(real):
    _, meta = real
    skipped = {s["file"].rsplit("!", 1)[-1] for s in meta["files_skipped"]}
    assert "2021年/utf8_2021_06_17_16h52m_国家地表水水质自动监测系统检测数据.csv" in skipped


@pytest.mark.shared_data
def test_real_yangquan_sections_present(real):
    df, _ = real
    basins = df[df["section_name"].isin(["白羊墅", "闫家庄大桥"])].groupby("section_name", observed=True)["basin"].unique()
    assert list(basins["白羊墅"]) == ["海河流域"] and list(basins["闫家庄大桥"]) == ["海河流域"]


@pytest.mark.shared_data
def test_real_recomputed_class_mostly_matches_station(real):
    df, _ = real
    ag = gb3838.compute_agreement(df[df["section_name"].isin(["白羊墅", "闫家庄大桥"])], by=None)
    assert (ag["agree_pct"] > 95).all()


# --------------------------------------------------------- manual CSV ---

def test_manual_reads_long_form():
    df, meta = water.read_water_manual(HERE / "manual_ok.csv")
    assert meta["rows"] == 4 and meta["unknown_sections"] == ["乙断面", "甲断面"]
    cd = df[(df["indicator"] == "cd")].set_index("section_name")
    # 0.0005L -> half the detection limit; <0.001 likewise
    assert cd.loc["乙断面", "value"] == pytest.approx(0.0005) and cd.loc["乙断面", "below_detection"]
    assert df["unit"][df["indicator"] == "fecal_coliform"].iloc[0] == "个/L"
    c = gb3838.classify_periods(df, by="month").set_index(["section_name", "period_label"])
    # 甲 May: pH 7.8, DO 6.0 (II), CODMn 4.8 (III), COD 20 (III), NH3-N 1.1 (IV),
    # TP 0.14 (III), Cd 0.001125 (II) -> IV; TN 5.5 and coliform 30000 not used
    assert c.loc[("甲断面", "2024-05"), "water_class"] == 4
    assert c.loc[("甲断面", "2024-05"), "main_pollutants"] == "氨氮(0.1)"
    assert c.loc[("甲断面", "2024-05"), "basis"] == "manual"


def _write(tmp_path, text):
    p = tmp_path / "lab.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("body,line,column", [
    ("section_name,sample_date,nh3n\n甲,2024-05-01,0.5\n甲,2024-05-02,abc\n", 3, "nh3n"),
    ("section_name,sample_date,ph\n甲,2024-05-01,15\n", 2, "ph"),
    ("section_name,sample_date,tp\n甲,2024-05-01,-0.1\n", 2, "tp"),
    ("section_name,sample_date,do\n甲,05/01/2024,8\n", 2, "sample_date"),
    ("section_name,sample_date,do\n,2024-05-01,8\n", 2, "section_name"),
    ("# comment\nsection_name,sample_date,do\n甲,2024-05-01,8\n甲,2024-05-01,9\n", 4, "section_name,sample_date"),
    ("section_name,sample_date,sample_time,do\n甲,2024-05-01,9:00,8\n甲,2024-05-01,25h,9\n", 3, "sample_time"),
])
def test_bad_manual_csv_names_line_and_column(tmp_path, body, line, column):
    p = _write(tmp_path, body)
    with pytest.raises(DataFileError) as exc:
        water.read_water_manual(p, sections=water.read_sections())
    assert exc.value.line == line and exc.value.column == column
    assert str(p) in str(exc.value)


def test_unknown_or_missing_manual_columns(tmp_path):
    with pytest.raises(DataFileError, match="line 1: unknown column.*nh4"):
        water.read_water_manual(_write(tmp_path, "section_name,sample_date,do,nh4\n甲,2024-05-01,8,1\n"))
    with pytest.raises(DataFileError, match="line 2: no indicator column.*found 'nh4'"):
        water.read_water_manual(_write(tmp_path, "# c\nsection_name,sample_date,nh4\n甲,2024-05-01,1\n"))
    with pytest.raises(DataFileError, match="missing column.*sample_date"):
        water.read_water_manual(_write(tmp_path, "section_name,do\n甲,8\n"))


def test_shipped_template_reads():
    df, meta = water.read_water_manual(Path(water.config.data_dir()) / "water" / "manual_template.csv")
    assert set(df["indicator"]) == set(gb3838.INDICATORS)
    assert meta["sections"] == ["示例断面"]


# ----------------------------------------------------------- sections ---

def test_sections_table():
    s = water.read_sections().set_index("section_name")
    assert {"白羊墅", "闫家庄大桥", "温河辛庄"} <= set(s.index)
    assert (s.loc["白羊墅", "lon"], s.loc["白羊墅", "lat"]) == (113.6489, 37.8486)
    assert s.loc["白羊墅", "river"] == "桃河" and s.loc["闫家庄大桥", "river"] == "滹沱河"
    assert s.loc["闫家庄大桥", "coord_quality"] == "wrong" and pd.isna(s.loc["闫家庄大桥", "lon"])
    assert s.loc["温河辛庄", "level"] == "国考"
    assert set(s["water_body"]) <= {"river", "lake"}
    assert s["target_class_num"].notna().all()


def test_bad_sections_row_is_named(tmp_path):
    src = Path(water.config.data_dir()) / "water" / "sections.csv"
    text = src.read_text(encoding="utf-8").replace(",river,Ⅲ,", ",river,III+,", 1)
    p = tmp_path / "sections.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        water.read_sections(p)
    assert exc.value.column == "target_class" and exc.value.line == 5  # 3 comments, header, row 1


# ---------------------------------------------------------------- CLI ---

def test_cli_classify_and_summary(capsys):
    assert main(["water", "classify", "--path", str(SNAP), "--sections", "all", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("section_name,period_label,water_class,class_label")
    # 甲 March 2022, valid readings 04:00 (latest copy) and 12:00: DO (8.0+1.5)/2 = 4.75 (IV),
    # CODMn 5.0 (III), NH3-N (0.9+0.8)/2 = 0.85 (III), TP 0.15 (III) -> IV, main pollutant DO
    assert "甲断面,2022-03,4,Ⅳ,轻度污染,#f2c500,溶解氧,3,2,2," in out
    assert main(["water", "summary", "--path", str(SNAP), "--sections", "甲断面,乙断面",
                 "--by", "year", "--format", "json"]) == 0
    assert '"target_good_pct": 80.0' in capsys.readouterr().out


def test_cli_bad_by_is_one_line_error(capsys):
    assert main(["water", "classify", "--path", str(SNAP), "--by", "week"]) == 2
    assert "--by" in capsys.readouterr().err


def test_every_returned_column_is_in_the_glossary(fixture_read):
    from yqplan import glossary

    df, _ = fixture_read
    man, _ = water.read_water_manual(HERE / "manual_ok.csv")
    tables = [df, man, water.read_sections(), gb3838.classify_periods(df),
              gb3838.compute_period_means(df), gb3838.classify_readings(df),
              gb3838.compute_agreement(df)]
    cols = set().union(*(t.columns for t in tables))
    cols |= set(gb3838.GroupResult._fields) | set(gb3838.PlanShare._fields)
    merged = glossary.glossary()  # raises if a name is defined twice differently
    assert sorted(cols - set(merged)) == []
    assert all("[" in glossary.WATER[c] for c in ("value", "coverage_pct", "agree_pct", "mean_value"))


def test_cli_group_by_basin(capsys):
    assert main(["water", "group", "--path", str(SNAP), "--sections", "all", "--by", "year",
                 "--group-by", "basin", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group_name,period_label,n_sections,group_method")
    # 2022: 甲 and 乙 in 海河流域, two sections -> the mean method
    assert any(ln.startswith("海河流域,2022,2,mean,") for ln in lines)


def test_cli_group_by_basin_of_a_section_without_basin(tmp_path, capsys):
    # A manual CSV for a section not in sections.csv has no basin: the group is named
    # "(basin unknown)", not "nan". pH 7.5, DO 8 (I), NH3-N 0.4 (II) -> class II.
    p = _write(tmp_path, "section_name,sample_date,ph,do,nh3n\n某断面,2024-05-01,7.5,8,0.4\n")
    assert main(["water", "group", "--manual", "--path", str(p), "--sections", "all",
                 "--by", "year", "--group-by", "basin", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("(basin unknown),2024,1,mean,2,")


def test_manual_csv_not_utf8_names_file_and_line(tmp_path):
    # A spreadsheet saved the template as GB18030: 白 is b"\xb0\xd7", first on line 2.
    p = tmp_path / "lab.csv"
    p.write_bytes("section_name,sample_date,ph\n白羊墅,2024-01-01,7\n".encode("gb18030"))
    with pytest.raises(DataFileError) as exc:
        water.read_water_manual(p)
    assert exc.value.path == p and exc.value.line == 2 and "not UTF-8" in str(exc.value)
