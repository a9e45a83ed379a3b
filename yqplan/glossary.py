"""Column glossary: every column name the library returns, with its meaning and unit.

One dict per topic, each owned by the module that returns those columns;
``GLOSSARY`` merges them.  Units in brackets: ``pm25 [µg/m³]``.
"""

PLAN = {
    # filled by yqplan.plan (data/plan/*.csv, data/official/figures.csv)
    "indicator_id": "Table 1 indicator as printed ('1' … '19', '10.1' … '10.5')",
    "item_no": "item number in Table 1",
    "sub_item": "sub-item of item 10 (1 COD … 5 VOCs); empty otherwise",
    "category": "class of the row: indicator class as printed (指标类) for indicators; project field (air, water, soil) for projects",
    "category_en": "indicator class in English",
    "name_zh": "name as printed (indicator or project)",
    "name_en": "name in English",
    "unit": "unit of the value or indicator, as printed",
    "baseline_2020": "2020 value from Table 1 [indicator unit]; NaN where the plan prints '-'",
    "baseline_text": "2020 value as printed ('-' = none)",
    "target_text": "2025 target as printed (verbatim)",
    "target_kind": "value = a number printed; province_assigned = 完成省下达指标; not_below_baseline = 不低于现状",
    "target_value": "2025 target [indicator unit]; NaN where no number is printed or supplied",
    "comparator": "a value meets the target when value <comparator> target (<=, >=, <, >, = or ~ approach)",
    "direction": "which way is better",
    "attribute": "binding (约束性) or expected (预期性)",
    "attribute_zh": "attribute as printed",
    "source": "where the fact or row comes from",
    "plan_text_line": "line in the flattened plan text where the row is stated (aid for checking)",
    "note": "remarks on the row",
    "project_id": "table and row position, e.g. '13-1#20'",
    "table": "plan table of key projects (13-1 air, 13-2 water, 13-3 soil) or 'all'",
    "category_zh": "project field as printed in the table title (大气/水/土壤环境治理工程)",
    "position": "row order within the table (1-based)",
    "printed_no": "row number as printed (garbled in places)",
    "project_type": "项目属性 (重大工程/打捆项目 …) as printed",
    "scale": "主要建设规模 main scale as printed",
    "content": "主要建设内容 main content as printed",
    "planning_basis": "纳入中长期规划情况及其他纳入依据 as printed",
    "build_status": "建设属性 as printed (新建 new, 续建 continued, 在建 under construction)",
    "owner": "项目建设主体 implementing body",
    "location_printed": "项目建设地点 exactly as printed",
    "district": "county-level district(s), ';'-separated; 市本级 city level, 未注明 not stated, 未定 undetermined",
    "adcode": "GB/T 2260 administrative division code",
    "district_basis": "how district was derived from the printed location",
    "progress": "前期工作进展和建设条件落实情况 as printed",
    "start_date": "开工时间 start (YYYY or YYYY-MM)",
    "completion_date": "投产时间 completion (YYYY or YYYY-MM)",
    "investment_total": "预计投资 estimated investment [亿元]",
    "investment_status": "whether the table states an investment for the row",
    "invest_13th_done": "investment completed in the 13th FYP [亿元]",
    "invest_14th": "investment planned in the 14th FYP [亿元]",
    "invest_after_14th": "investment planned after the 14th FYP [亿元]",
    "new_land_mu": "new construction land [亩]",
    "constraints": "建设难点和可能制约因素 as printed",
    "lead_department": "建议牵头责任部门 proposed lead department",
    "remarks": "备注 as printed",
    "possible_duplicate_of": "project_id of a row this one may repeat",
    "notes": "transcription notes (corrections C1–C8, see data/plan/README.md)",
    "target_id": "target number in this table",
    "chapter": "plan chapter",
    "section": "chapter.section[.subsection]",
    "heading_zh": "section heading as printed",
    "topic": "topic (energy, air, soil …)",
    "item_zh": "what is targeted or achieved, in Chinese",
    "item_en": "what is targeted or achieved, in English",
    "value": "numeric value of the row [unit given in column unit]",
    "value_printed": "value as printed in the plan",
    "target_year": "year printed with the target; empty if none",
    "period_text": "time phrase as printed (到 2025 年, “十四五”期间 …)",
    "kind": "target (goal), limit (emission or standing limit), threshold (rule trigger), count (things to build)",
    "quote": "the plan's wording, verbatim",
    "result_id": "result number in this table",
    "period": "period the value refers to (a year, a year range such as 2016-2020, or a quarter)",
    "stated_count": "number of projects stated in the text",
    "stated_investment": "investment stated in the text [亿元]",
    "figure_id": "figure number",
    "area": "area the figure describes (阳泉市, 山西省, a section …)",
    "figure_zh": "what the figure is, in Chinese",
    "figure_en": "what the figure is, in English",
    "value_text": "value as published",
    "source_date": "publication date",
    "location": "where in the publication",
    "used_in_charts": "whether charts use this figure",
    "source_url": "where to read it",
    "table_rows": "number of project rows printed in the table [count]",
    "count_difference": "table_rows minus stated_count [count]",
    "table_investment": "sum of investment_total over the table's rows [亿元]",
    "investment_difference": "table_investment minus stated_investment [亿元]",
    "rows_without_investment": "rows whose investment is not stated [count]",
    "agrees": "count and investment both equal to the text's (investment to its 4 decimals) [bool]",
    "n_projects": "number of project rows in the group [count]",
    "n_investment_not_stated": "project rows in the group without a stated investment [count]",
    "investment": "sum of stated estimated investment in the group [亿元]",
    "share": "share of the group in the investment of all projects [0-1]",
    "target_source": "where the target value comes from (plan location or province document)",
    "target_status": "plan value, province value supplied, no target supplied, or not below baseline",
}

AIR = {
    # filled by yqplan.cnemc / store / aqi / airstats
    # -- yqplan.cnemc / store / demo (air data)
    "city": "city name as written in the CNEMC archive, without 市 (e.g. 阳泉)",
    "station": "CNEMC national station code (e.g. 1738A)",
    "station_name": "station name as published in the CNEMC station list (e.g. 市中心)",
    "time": "hour label: the file's date + hour, Asia/Shanghai; hour-ending (unverified)",
    "aqi": "platform's real-time (hourly) AQI as published [1]",
    "pm25": "PM2.5 hourly mean concentration [µg/m³]",
    "pm25_24h": "PM2.5 24-hour moving mean computed by the platform [µg/m³]",
    "pm10": "PM10 hourly mean concentration [µg/m³]",
    "pm10_24h": "PM10 24-hour moving mean computed by the platform [µg/m³]",
    "so2": "SO2 hourly mean concentration [µg/m³]",
    "so2_24h": "SO2 24-hour moving mean computed by the platform [µg/m³]",
    "no2": "NO2 hourly mean concentration [µg/m³]",
    "no2_24h": "NO2 24-hour moving mean computed by the platform [µg/m³]",
    "o3": "O3 hourly mean concentration [µg/m³]",
    "o3_24h": "O3 running maximum of the hourly values over the day, by the platform [µg/m³]",
    "o3_8h": "O3 8-hour moving mean computed by the platform [µg/m³]",
    "o3_8h_24h": "O3 running maximum of the 8-hour means over the day, by the platform [µg/m³]",
    "co": "CO hourly mean concentration [mg/m³]",
    "co_24h": "CO 24-hour moving mean computed by the platform [mg/m³]",
    "lon": "longitude, WGS-84 as published [degrees east]",
    "lat": "latitude, WGS-84 as published [degrees north]",
    "reference_site": "station is a background/reference site (对照点) [bool]",
    "listed_2018": "station is a column of the 2018-01-01 CNEMC station file [bool]",
    "city_full": "official city name with 市 (e.g. 阳泉市)",
    "adcode": "GB/T 2260 administrative division code",
    "source": "where the fact or row comes from",
    "day": "calendar day (Asia/Shanghai)",
    "file": "daily archive file name or path",
    "status": "outcome for this file (downloaded, present, failed, not_found)",
    "bytes": "file size [bytes]",
    "reason": "why a file was skipped or failed",
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
