"""User-facing strings of the analysis pages: map, timeline, flows, network, suspects (merged into casemap.i18n)."""

ANALYSIS_STRINGS: dict[str, dict[str, str]] = {
    # Navigation
    "nav_map": {"en": "Map", "zh": "地图"},
    "nav_timeline": {"en": "Timeline", "zh": "时间线"},
    "nav_flows": {"en": "Money flows", "zh": "资金流向"},
    "nav_network": {"en": "Link analysis", "zh": "关联分析"},
    "nav_suspects": {"en": "Suspects", "zh": "嫌疑人"},
    # Table headers
    "tbl_id": {"en": "ID", "zh": "编号"},
    "tbl_name": {"en": "Name", "zh": "姓名"},
    "tbl_role": {"en": "Role", "zh": "角色"},
    "tbl_status": {"en": "Status", "zh": "状态"},
    "tbl_place": {"en": "Place", "zh": "地区"},
    "tbl_address": {"en": "Address", "zh": "地址"},
    "tbl_amount": {"en": "Amount involved", "zh": "涉案金额"},  # each amount carries its unit
    "tbl_arrest_date": {"en": "Arrest date", "zh": "抓获日期"},
    "tbl_phone_cards": {"en": "Phone cards", "zh": "电话卡数"},
    "tbl_wechat": {"en": "WeChat accounts", "zh": "微信账号数"},
    "tbl_qq": {"en": "QQ accounts", "zh": "QQ 账号"},
    "tbl_field": {"en": "Field", "zh": "项目"},
    "tbl_value": {"en": "Value", "zh": "内容"},
    "tbl_rank": {"en": "Rank", "zh": "排名"},
    "tbl_amount_paid": {"en": "Paid", "zh": "付出金额"},
    "tbl_amount_received": {"en": "Received", "zh": "收到金额"},
    "tbl_amount_moved": {"en": "Paid and received", "zh": "收付金额"},
    "tbl_payments": {"en": "Payments", "zh": "笔数"},
    "tbl_counterparts": {"en": "Counterparts", "zh": "交易对象数"},
    "tbl_betweenness": {"en": "Betweenness", "zh": "中介中心度"},
    "tbl_date": {"en": "Date", "zh": "日期"},
    "tbl_milestone": {"en": "What happened", "zh": "事件"},
    "tbl_milestone_number": {"en": "No.", "zh": "编号"},
    # Map
    "map_title": {"en": "Map", "zh": "案情地图"},
    "metric_payments_out": {"en": "Payments out", "zh": "付出资金"},
    "metric_payments_in": {"en": "Payments in", "zh": "收到资金"},
    "map_all_cities": {"en": "All cities nationally", "zh": "全国所有城市"},
    "map_all_cities_help": {
        "en": "Shade every prefecture-level city of the country instead of the provinces.",
        "zh": "按地级市（而非省份）显示全国。",
    },
    "map_provinces_title": {"en": "By province", "zh": "按省份"},
    "map_all_cities_title": {"en": "By city, nationally", "zh": "全国按城市"},
    "map_cities_of": {"en": "Cities of {province}", "zh": "{province}各市"},
    "map_ranking_hint": {
        "en": "Choose a row to filter to that place.",
        "zh": "选中一行即筛选该地区。",
    },
    "flows_bars_hint": {
        "en": "Click a bar to filter every page to that channel or purpose; click it again to clear it.",
        "zh": "点击柱形即在所有页面筛选该渠道或用途，再次点击取消。",
    },
    "map_bubbles": {"en": "City bubbles", "zh": "城市气泡"},
    "map_bubbles_help": {
        "en": "A bubble on each city with an amount involved, sized by that amount; the key below the map reads it.",
        "zh": "在有涉案金额的城市上显示气泡，大小按涉案金额；图下方的图例标明大小对应的金额。",
    },
    "map_hint": {
        "en": "Click a province, anywhere in it (bubbles too), to see its cities. "
              "The star marks Linwu County, where the case began.",
        "zh": "点击省份内任意位置（包括气泡）查看其下各市。星标为案发地临武县。",
    },
    "map_hint_drilled": {
        "en": "Click a city to narrow the filters to it; click it again to undo.",
        "zh": "点击城市即按该市筛选，再次点击取消。",
    },
    "map_back": {"en": "Back to all provinces", "zh": "返回全国"},
    "map_ranking": {"en": "Ranking: {metric}", "zh": "排名：{metric}"},
    "legend_amount_bubbles": {"en": "Cities (bubble = amount involved)", "zh": "城市（气泡大小 = 涉案金额）"},
    # Timeline
    "timeline_title": {"en": "Timeline", "zh": "时间线"},
    "timeline_period": {"en": "Per", "zh": "统计周期"},
    "timeline_milestones": {"en": "Milestones", "zh": "关键节点"},
    "timeline_by_week": {"en": "Week", "zh": "按周"},
    "timeline_by_month": {"en": "Month", "zh": "按月"},
    "axis_people": {"en": "People", "zh": "人数"},
    "axis_payments_yuan": {"en": "Payments (yuan)", "zh": "资金流水（元）"},
    "timeline_caption": {
        "en": "Top: arrests per period (bars) and arrested so far (line). Bottom: traced payments by channel. "
              "Dotted lines mark the milestones of the case, numbered as in the list of milestones; "
              "point at a number to read it. Click a bar to filter to its period; click it again to clear the dates.",
        "zh": "上图：每期抓获人数（柱）与累计抓获（线）；下图：各渠道已查资金流水。虚线为案件关键节点，"
              "编号与关键节点列表一致，鼠标指向编号可查看内容。点击柱形可筛选该时段，再次点击取消日期筛选。",
    },
    "playback_title": {"en": "How the network spread, and was taken down", "zh": "团伙扩散与收网过程"},
    "playback_caption": {
        "en": "Press Play or drag the slider: provinces are shaded by suspects active and not yet arrested "
              "at the end of each month; bubbles grow with the arrests. A suspect counts as active from their "
              "first traced payment (else their city's first).",
        "zh": "点击播放或拖动滑块：省份颜色表示当月末已活动且未到案的嫌疑人数，气泡大小表示累计抓获人数。"
              "嫌疑人自其首笔已查资金流水起计为活动（没有流水的按所在城市的首笔计）。",
    },
    "playback_month": {"en": "Month", "zh": "月份"},
    "playback_start": {"en": "Open the map at", "zh": "地图起始月份"},
    "playback_start_first": {"en": "The first month", "zh": "第一个月"},
    "playback_play": {"en": "▶ Play", "zh": "▶ 播放"},
    "playback_pause": {"en": "❚❚ Pause", "zh": "❚❚ 暂停"},
    "playback_active": {"en": "Active so far", "zh": "累计活动"},
    "playback_arrested": {"en": "Arrested so far", "zh": "累计抓获"},
    "playback_open": {"en": "Active, not arrested", "zh": "活动未到案"},
    "playback_arrested_bubbles": {"en": "Arrested so far (bubble)", "zh": "累计抓获（气泡）"},
    # Flows
    "flows_title": {"en": "Money flows", "zh": "资金流向"},
    "flows_traced": {"en": "Traced payments", "zh": "已查资金流水"},
    "flows_traced_help": {
        "en": "The sum of the {count} payments under the current filters.",
        "zh": "当前筛选条件下 {count} 笔资金流水的合计。",
    },
    "flows_involved_help": {
        "en": "The sum of the suspects' amounts involved under the current filters.",
        "zh": "当前筛选条件下嫌疑人涉案金额之和。",
    },
    "flows_share": {"en": "Amount involved explained by traced payments", "zh": "已查流水占涉案金额比例"},
    "flows_share_help": {
        "en": "Traced payments divided by the amount involved. The rest is not (yet) traced to a payment.",
        "zh": "已查资金流水合计 ÷ 涉案金额。其余部分尚未查明对应的资金流水。",
    },
    "flows_by_channel": {"en": "Amount by payment channel", "zh": "各支付渠道金额"},
    "flows_by_purpose": {"en": "Amount by purpose", "zh": "各用途金额"},
    "flows_purpose_unrecorded": {"en": "Not recorded", "zh": "未记录"},
    "flows_payments_count": {"en": "{count} payments", "zh": "{count} 笔"},
    "flows_how_money_moved": {"en": "How the money moved", "zh": "资金如何流转"},
    "flows_tab_sankey": {"en": "Payer role → channel → payee role", "zh": "付款方角色 → 支付渠道 → 收款方角色"},
    "flows_tab_map": {"en": "Between provinces, on the map", "zh": "省际流向（地图）"},
    "flows_sankey_payers": {"en": "Paid by", "zh": "付款方"},
    "flows_sankey_channels": {"en": "Channel", "zh": "支付渠道"},
    "flows_sankey_payees": {"en": "Paid to", "zh": "收款方"},
    "flows_caption": {
        "en": "Each payment goes from its payer to its payee: by role and channel in the diagram, by province "
              "on the map (arrows point to the payee), as recorded in the suspects list. "
              "Overseas: parties not in the suspects list (the scam groups abroad, who settle in USDT). "
              "Payments within one province have no line on the map.",
        "zh": "每笔资金从付款方流向收款方：流向图按嫌疑人名单中的角色和支付渠道，地图按所在省份（箭头指向收款方）。"
              "境外：不在嫌疑人名单中的一方（以 USDT 结算的境外诈骗团伙）。同省内的资金在地图上不画线。",
    },
    "flows_overseas": {"en": "Overseas", "zh": "境外"},
    "flows_legend_lines": {"en": "Flows (line width = amount)", "zh": "资金流向（线宽 = 金额）"},
    "flows_legend_payees": {"en": "Payee side", "zh": "收款方"},
    "flows_top_payers": {"en": "Top payers", "zh": "付款最多"},
    "flows_top_vendors": {"en": "Top number vendors", "zh": "收款最多的号商"},
    # Network
    "network_title": {"en": "Link analysis", "zh": "关联分析"},
    "network_choose": {"en": "Person", "zh": "人员"},
    "network_choose_all": {"en": "Everyone: choose a person to see their contacts", "zh": "全部：选择人员查看其关联"},
    "network_caption": {
        "en": "Nodes are suspects, coloured by role, shaped by status, sized by amount involved; "
              "links are payments, thicker for more money. Faint nodes are counterparts outside the filters; "
              "suspects with no traced payment are set apart below.",
        "zh": "节点为嫌疑人：颜色表示角色，形状表示状态，大小表示涉案金额；连线为资金往来，越粗金额越大。"
              "半透明节点为筛选范围外的交易对象；没有已查资金往来的嫌疑人排列在下方。",
    },
    "network_aggregated": {
        "en": "{count} suspects are more than {limit}: number vendors are grouped by city to keep the chart legible.",
        "zh": "嫌疑人 {count} 名，超过 {limit} 名：号商按城市合并显示，以便阅读。",
    },
    "network_vendor_group": {"en": "Vendors in {city} ({count})", "zh": "{city}号商（{count}人）"},
    "network_external": {"en": "Overseas account {party}", "zh": "境外账户 {party}"},
    "network_external_legend": {"en": "Overseas accounts", "zh": "境外账户"},
    "network_group_legend": {"en": "Vendors grouped by city", "zh": "按城市合并的号商"},
    "network_counterparts": {"en": "{count} counterparts", "zh": "{count} 个交易对象"},
    "network_context": {"en": "Outside the current filters", "zh": "不在当前筛选范围内"},
    "network_details": {"en": "Details", "zh": "详细信息"},
    "network_group_members": {"en": "{count} vendors in this group.", "zh": "该组共 {count} 名号商。"},
    "network_key_persons": {"en": "Key persons", "zh": "关键人员"},
    "network_ego_key_persons": {"en": "In this person's network", "zh": "其关联网络中的关键人员"},
    "network_key_persons_help": {
        "en": "Betweenness: how often a person lies on the shortest path between two others, "
              "i.e. how much of the network runs through them. Counterparts: distinct payment partners.",
        "zh": "中介中心度：该人员处于其他两人之间最短路径上的频率，即网络中有多少联系经过此人。交易对象数：不同的资金往来对象。",
    },
    # Suspects
    "suspects_title": {"en": "Suspects", "zh": "嫌疑人"},
    "suspects_search": {"en": "Search", "zh": "搜索"},
    "suspects_search_placeholder": {
        "en": "Name, ID, place, role, status, address or QQ",
        "zh": "姓名、编号、地区、角色、状态、地址或 QQ",
    },
    "suspects_count": {"en": "{shown} of {total} suspects", "zh": "共 {total} 名嫌疑人，显示 {shown} 名"},
    "suspects_detail": {"en": "Details", "zh": "详细信息"},
    "suspects_pick_row": {
        "en": "Select a row (the box at its left) to see the details.",
        "zh": "勾选表格中的一行（行首方框）查看详细信息。",
    },
    "suspects_export": {"en": "Export", "zh": "导出"},
    "suspects_export_help": {
        "en": "Rows shown: {count}, as stored (with their place codes); cells a spreadsheet would run as a "
              "formula are neutralised.",
        "zh": "导出当前显示的 {count} 行（含地区代码）；可能被表格软件当作公式执行的内容已做防护处理。",
    },
    "suspects_export_csv": {"en": "Download CSV", "zh": "下载 CSV"},
    "suspects_export_xlsx": {"en": "Download Excel", "zh": "下载 Excel"},
}
