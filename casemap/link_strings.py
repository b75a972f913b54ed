"""User-facing strings of the link-analysis page and the leads (merged into casemap.i18n)."""

LINK_STRINGS: dict[str, dict[str, str]] = {
    "link_view": {"en": "View", "zh": "视图"},
    "link_view_graph": {"en": "Links", "zh": "关系图"},
    "link_view_path": {"en": "Shortest path", "zh": "最短路径"},
    "link_view_communities": {"en": "Communities", "zh": "团伙"},
    "link_view_shared": {"en": "Shared accounts", "zh": "共用账号"},
    "link_view_leads": {"en": "Leads", "zh": "线索"},
    "link_expand": {"en": "Expand by one hop", "zh": "向外扩展一层"},
    "link_expand_placeholder": {"en": "Choose a node to add its neighbours", "zh": "选择一个节点，加入其相邻节点"},
    "link_expanded": {"en": "Expanded: {nodes}", "zh": "已扩展：{nodes}"},
    "link_clear_expanded": {"en": "Clear", "zh": "清除"},
    "link_focus_caption": {
        "en": "{name}, its neighbours and the links among them. Expand a neighbour to follow the links further.",
        "zh": "{name}、与其直接相连的节点及其间的关系。扩展相邻节点可继续追查。",
    },
    "link_caption": {
        "en": "People coloured by role, shaped by status; accounts shaped by kind, in their holder's colour. "
              "Lines: payments (width by amount) and typed links. Scroll to zoom, drag to pan.",
        "zh": "人员按角色着色、按状态区分形状；账号按类型区分形状，颜色同其持有人。连线：资金往来（粗细表示金额）和各类关系。滚轮缩放，拖动平移。",
    },
    "link_no_accounts": {
        "en": "This case has no accounts or links stored: the graph shows people and payments only.",
        "zh": "本案未存储账号或关系：图中只显示人员和资金往来。",
    },
    "link_accounts_grouped": {
        "en": "The people are grouped, so are their {count} accounts: the {groups} largest groups of one kind "
              "and holder are drawn.",
        "zh": "人员已分组，其 {count} 个账号也按类型和持有人分组：图中显示最大的 {groups} 组。",
    },
    "link_accounts_dropped": {
        "en": "The chart shows {shown} of {total} account nodes, those with the most links.",
        "zh": "图中显示 {total} 个账号节点中关联最多的 {shown} 个。",
    },
    # Shortest path
    "link_path_from": {"en": "From", "zh": "起点"},
    "link_path_to": {"en": "To", "zh": "终点"},
    "link_path_pick": {"en": "Choose two people to see how they are connected.", "zh": "选择两人，查看他们之间如何关联。"},
    "link_path_same": {"en": "Choose two different people.", "zh": "请选择两个不同的人。"},
    "link_path_none": {
        "en": "No chain of links or payments joins {a} and {b} under the current filters.",
        "zh": "在当前筛选条件下，{a} 与 {b} 之间没有关系或资金往来相连。",
    },
    "link_path_found": {"en": "{a} reaches {b} in {hops} hops:", "zh": "{a} 经 {hops} 步关联到 {b}："},
    "link_path_found_one": {"en": "{a} reaches {b} in one hop:", "zh": "{a} 直接关联到 {b}："},
    "link_hop_rented_to": {"en": "{src} rented to {dst}.", "zh": "{src} 出租给 {dst}。"},
    "link_hop_rented_to_account": {"en": "{src} was rented out to {dst}.", "zh": "{src} 被出租给 {dst}。"},
    "link_hop_recruited": {"en": "{src} recruited {dst}.", "zh": "{src} 招募了 {dst}。"},
    "link_hop_paid_via": {"en": "{src} paid via {dst}.", "zh": "{src} 通过 {dst} 付款。"},
    "link_hop_paid_via_account": {"en": "The rent of {src} was paid via {dst}.", "zh": "{src} 的租金通过 {dst} 支付。"},
    "link_hop_controls": {"en": "{src} controls {dst}.", "zh": "{src} 控制着 {dst}。"},
    "link_hop_same_device": {
        "en": "{src} was used on the same device as {dst}.", "zh": "{src} 与 {dst} 在同一设备上使用。",
    },
    "link_hop_contact": {"en": "{src} was in contact with {dst}.", "zh": "{src} 与 {dst} 有联系。"},
    "link_hop_payment": {
        "en": "{src} and {dst} exchanged {amount} in {count} payments.",
        "zh": "{src} 与 {dst} 之间有 {count} 笔资金往来，共 {amount}。",
    },
    "link_hop_payment_one": {
        "en": "{src} and {dst} exchanged {amount} in one payment.",
        "zh": "{src} 与 {dst} 之间有 1 笔资金往来，共 {amount}。",
    },
    # Relations (legend)
    "link_rel_rented_to": {"en": "rented to", "zh": "出租给"},
    "link_rel_recruited": {"en": "recruited", "zh": "招募"},
    "link_rel_paid_via": {"en": "paid via", "zh": "支付通道"},
    "link_rel_controls": {"en": "controls", "zh": "控制"},
    "link_rel_same_device": {"en": "same device", "zh": "同设备"},
    "link_rel_contact": {"en": "contact", "zh": "联系"},
    "link_rel_payment": {"en": "payments", "zh": "资金往来"},
    # Account kinds
    "link_kind_phone": {"en": "phone", "zh": "手机号"},
    "link_kind_wechat": {"en": "WeChat", "zh": "微信号"},
    "link_kind_qq": {"en": "QQ", "zh": "QQ号"},
    "link_kind_bank_card": {"en": "bank card", "zh": "银行卡"},
    "link_kind_alipay": {"en": "Alipay", "zh": "支付宝账号"},
    "link_kind_usdt_wallet": {"en": "USDT wallet", "zh": "USDT钱包"},
    "link_account": {"en": "{kind} {number}", "zh": "{kind} {number}"},
    "link_account_group": {"en": "{count} × {kind}", "zh": "{count} 个{kind}"},
    "link_person": {"en": "{name} ({id}, {role})", "zh": "{name}（{id}，{role}）"},
    "link_overseas": {"en": "overseas account {party}", "zh": "境外账户 {party}"},
    "link_holder": {"en": "Holder: {holder}", "zh": "持有人：{holder}"},
    "link_account_status": {"en": "Status: {status}", "zh": "状态：{status}"},
    "link_first_seen": {"en": "First seen: {date}", "zh": "首次发现：{date}"},
    "link_links": {"en": "{count} links", "zh": "{count} 条关联"},
    "link_community": {"en": "Community {index}", "zh": "团伙 {index}"},
    # Communities
    "link_communities_caption": {
        "en": "Groups found by the Louvain method (fixed seed, so the same case always splits the same way); "
              "colour by group.",
        "zh": "使用 Louvain 方法划分团伙（固定随机种子，同一案件每次划分相同），按团伙着色。",
    },
    "link_no_communities": {"en": "No linked groups under the current filters.", "zh": "当前筛选条件下没有相互关联的团伙。"},
    "tbl_link_community": {"en": "Group", "zh": "团伙"},
    "tbl_link_people": {"en": "People", "zh": "人数"},
    "tbl_link_accounts": {"en": "Accounts", "zh": "账号数"},
    "tbl_link_hub": {"en": "Most linked", "zh": "关联最多"},
    "tbl_link_amount": {"en": "Amount involved (yuan)", "zh": "涉案金额（元）"},
    # Shared accounts
    "link_shared_caption": {
        "en": "Accounts linked to two or more people: the people who share a phone, WeChat, card or wallet.",
        "zh": "与两人或以上相关联的账号：共用同一手机号、微信、银行卡或钱包的人员。",
    },
    "link_no_shared": {"en": "No account is shared under the current filters.", "zh": "当前筛选条件下没有共用的账号。"},
    "tbl_link_account": {"en": "Account", "zh": "账号"},
    "tbl_link_kind": {"en": "Kind", "zh": "类型"},
    "tbl_link_shared_by": {"en": "Linked people", "zh": "关联人员"},
    "tbl_link_count": {"en": "People", "zh": "人数"},
    "tbl_link_relations": {"en": "Relations", "zh": "关系"},
    # Leads
    "link_leads_title": {"en": "Incoming leads", "zh": "线索来源"},
    "link_leads_caption": {
        "en": "The leads that named accounts or people of the case, and what became of them: leads → task force → arrests.",
        "zh": "指向本案账号或人员的线索及其后续：线索 → 专案组 → 抓获。",
    },
    "link_leads_chart_title": {"en": "Leads and arrests over time", "zh": "线索与抓获的时间分布"},
    "link_no_leads": {"en": "No lead is stored for this case.", "zh": "本案没有存储线索。"},
    "link_leads_axis": {"en": "Count", "zh": "数量"},
    "link_leads_series": {"en": "Leads", "zh": "线索"},
    "link_arrests_series": {"en": "Arrests", "zh": "抓获"},
    "tbl_lead_source": {"en": "Source", "zh": "来源"},
    "tbl_lead_date": {"en": "Date", "zh": "日期"},
    "tbl_lead_named": {"en": "Named", "zh": "指向"},
    "tbl_lead_status": {"en": "Follow-up", "zh": "后续"},
    "link_lead_followed": {"en": "led to arrests ({count})", "zh": "已抓获 {count} 人"},
    "link_lead_open": {"en": "open", "zh": "待跟进"},
}
