"""User-facing strings of the person view and the network filter (merged into casemap.i18n)."""

PERSON_STRINGS: dict[str, dict[str, str]] = {
    "nav_person": {"en": "Person", "zh": "人员"},
    # The network filter
    "summary_network": {"en": "network of {person}", "zh": "{person} 的关系网"},
    "reason_bad_id": {"en": "not a suspect ID", "zh": "不是有效的嫌疑人编号"},
    # The person view
    "person_title": {"en": "Person", "zh": "人员"},
    "person_choose": {"en": "Suspect", "zh": "嫌疑人"},
    "person_choose_placeholder": {"en": "Choose a suspect by ID or name", "zh": "按编号或姓名选择嫌疑人"},
    "person_search": {"en": "Search (ID, name, place)", "zh": "搜索（编号、姓名、地区）"},
    "person_pick": {
        "en": "Choose a suspect to see whom they paid and were paid by, where and when.",
        "zh": "选择一名嫌疑人，查看其付款和收款对象、地区和时间。",
    },
    "person_unknown": {
        "en": "No suspect “{person}” in this case (or not one you may see). Choose another below.",
        "zh": "本案中没有嫌疑人“{person}”（或您无权查看）。请在下方另选一人。",
    },
    "person_heading": {"en": "{name} ({person})", "zh": "{name}（{person}）"},
    "person_paid": {"en": "Paid", "zh": "付出"},
    "person_received": {"en": "Received", "zh": "收到"},
    "person_counterparts": {"en": "Counterparts", "zh": "交易对象"},
    "person_payments_help": {"en": "{count} payments", "zh": "共 {count} 笔"},
    "person_filter_network": {"en": "Filter the whole app to this person's network", "zh": "全站只看此人的关系网"},
    "person_filter_network_help": {
        "en": "Every page then shows this person and everyone they paid or were paid by, and the payments "
              "between them. Remove it with its ✕ above the page, or reset the filters.",
        "zh": "各页面将只显示此人及其所有付款、收款对象，以及他们与此人之间的资金流水。可点击页面上方的 ✕ 或重置筛选来取消。",
    },
    "person_network_on": {"en": "The whole app is filtered to this person's network.", "zh": "全站已只显示此人的关系网。"},
    "person_counterparts_title": {"en": "Whom they paid and were paid by", "zh": "付款与收款对象"},
    "person_no_payments": {
        "en": "No payment of this person under the current filters.", "zh": "当前筛选条件下此人没有资金流水。",
    },
    "person_map_title": {"en": "Where the money went", "zh": "资金去向"},
    "person_map_from_title": {"en": "Where the money came from", "zh": "资金来源"},
    "person_map_caption": {
        "en": "Provinces shaded by the amount paid to (or received from) the counterparts there; overseas accounts "
              "are in the table only.",
        "zh": "按与各省交易对象之间的付款（或收款）金额着色；境外账户只列在表中。",
    },
    "person_timeline_title": {"en": "Payments over time", "zh": "资金流水时间分布"},
    "person_period": {"en": "Per", "zh": "统计周期"},
    "person_by_day": {"en": "Day", "zh": "按日"},
    "axis_day": {"en": "Day", "zh": "日期"},
    "person_by_week": {"en": "Week", "zh": "按周"},
    "person_by_month": {"en": "Month", "zh": "按月"},
    "person_open": {"en": "Open the person view of {name}", "zh": "打开 {name} 的人员视图"},
    "person_details": {"en": "Record", "zh": "档案"},
    # Table headers
    "tbl_person_view": {"en": "Person view", "zh": "人员视图"},
    "tbl_person_view_text": {"en": "Open", "zh": "查看"},
    "tbl_direction": {"en": "Direction", "zh": "方向"},
    "tbl_direction_paid": {"en": "Paid to", "zh": "付给"},
    "tbl_direction_received": {"en": "Received from", "zh": "收自"},
    "tbl_amount_moved_yuan": {"en": "Amount (yuan)", "zh": "金额（元）"},
    "tbl_first_payment": {"en": "First", "zh": "首笔"},
    "tbl_last_payment": {"en": "Last", "zh": "末笔"},
}
