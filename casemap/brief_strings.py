"""User-facing strings of the briefing page and its slides (merged into casemap.i18n)."""

BRIEF_STRINGS: dict[str, dict[str, str]] = {
    "nav_brief": {"en": "Briefing", "zh": "汇报"},
    # Slide titles, in the story's order
    "brief_title_headline": {"en": "The case in figures", "zh": "案件概况"},
    "brief_title_origins": {"en": "How it started", "zh": "案件缘起"},
    "brief_title_spread": {"en": "How it spread", "zh": "蔓延过程"},
    "brief_title_money": {"en": "The money trail", "zh": "资金链条"},
    "brief_title_network": {"en": "Key persons and their network", "zh": "关键人物与关系网"},
    "brief_title_at_large": {"en": "Who is still at large, and where", "zh": "在逃人员及其分布"},
    # Headline sentences, one per slide, filled from the data
    "brief_headline": {
        "en": "{arrested} arrested across {cities} in {provinces}; {amount} involved.",
        "zh": "共抓获{arrested}，涉及{provinces}{cities}，涉案金额{amount}。",
    },
    "brief_headline_none": {"en": "No suspect under the current filters.", "zh": "当前筛选条件下没有嫌疑人。"},
    "brief_origins": {
        "en": "Acting on two-card leads received on {leads}, the Linwu task force formed on {task_force} and made "
              "the first {first} arrests in {first_month}.",
        "zh": "{leads}收到“两卡”线索，临武县公安局于{task_force}成立专案组，{first_month}抓获首批{first}人。",
    },
    "brief_origins_arrests": {
        "en": "The first {first} arrests came in {first_month}; {total} suspects have been arrested since.",
        "zh": "{first_month}抓获首批{first}人，至今共抓获{total}人。",
    },
    "brief_origins_none": {"en": "No arrest under the current filters yet.", "zh": "当前筛选条件下尚无抓获。"},
    "brief_spread": {
        "en": "Arrests began in {first_places} in {first_month} and reached {provinces} by {last_month}; "
              "{peak} of {total} came in {peak_month}.",
        "zh": "抓获自{first_month}的{first_places}开始，至{last_month}扩展到{provinces}；"
              "共{total}人中有{peak}人在{peak_month}落网。",
    },
    "brief_spread_none": {"en": "No arrest to replay under the current filters.", "zh": "当前筛选条件下没有可回放的抓获。"},
    "brief_money": {
        "en": "{alipay} in rental fees went over Alipay to vendors in {provinces}; overseas groups "
              "settled {usdt} in USDT.",
        "zh": "经支付宝向{provinces}的号商支付租用费{alipay}；境外团伙以USDT结算{usdt}。",
    },
    "brief_money_none": {"en": "No payment traced under the current filters.", "zh": "当前筛选条件下没有资金流水。"},
    "brief_network": {
        "en": "{name} is at the centre of the network: {degree} and {amount} moved.",
        "zh": "{name}处于关系网中心：与{degree}有资金往来，涉及金额{amount}。",
    },
    "brief_network_none": {"en": "No payment network under the current filters.", "zh": "当前筛选条件下没有资金关系网。"},
    "brief_at_large": {
        "en": "{at_large} still at large in {provinces}, the most in {place} ({most}); "
              "{investigated} more are under investigation.",
        "zh": "仍有{at_large}在逃，分布在{provinces}，{place}最多（{most}名）；另有{investigated}人在查。",
    },
    "brief_at_large_none": {
        "en": "No suspect is at large under the current filters; {investigated} are under investigation.",
        "zh": "当前筛选条件下没有在逃人员；{investigated}人在查。",
    },
    # Counted nouns inside the sentences
    "brief_n_suspects": {"en": "{count} suspects", "zh": "{count}名嫌疑人"},
    "brief_n_suspects_one": {"en": "{count} suspect", "zh": "{count}名嫌疑人"},
    "brief_n_provinces": {"en": "{count} provinces", "zh": "{count}个省份"},
    "brief_n_provinces_one": {"en": "{count} province", "zh": "{count}个省份"},
    "brief_n_cities": {"en": "{count} cities", "zh": "{count}个城市"},
    "brief_n_cities_one": {"en": "{count} city", "zh": "{count}个城市"},
    "brief_n_counterparts": {"en": "{count} counterparts", "zh": "{count}个对象"},
    "brief_n_counterparts_one": {"en": "{count} counterpart", "zh": "{count}个对象"},
    # KPI labels
    "brief_kpi_first_arrests": {"en": "First arrests", "zh": "首批抓获"},
    "brief_kpi_months": {"en": "Months of activity", "zh": "活动月数"},
    "brief_kpi_arrest_provinces": {"en": "Provinces with arrests", "zh": "有抓获的省份"},
    "brief_kpi_alipay": {"en": "Alipay rental payments", "zh": "支付宝租用费"},
    "brief_kpi_vendor_provinces": {"en": "Vendor provinces", "zh": "号商所在省份"},
    "brief_kpi_usdt": {"en": "USDT settlements", "zh": "USDT结算"},
    "brief_kpi_persons": {"en": "Persons in the network", "zh": "关系网人数"},
    "brief_kpi_top_degree": {"en": "Counterparts of the hub", "zh": "核心人物交易对象"},
    "brief_kpi_at_large": {"en": "At large", "zh": "在逃"},
    "brief_kpi_at_large_provinces": {"en": "Provinces", "zh": "涉及省份"},
    "brief_kpi_investigated": {"en": "Under investigation", "zh": "在查"},
    # The hidden button the theme script presses (casemap/ui/layout.py)
    "theme_rerun": {"en": "Restyle the charts for the page's theme", "zh": "按页面主题重绘图表"},
    # The page's controls
    "brief_previous": {"en": "Previous slide", "zh": "上一页"},
    "brief_next": {"en": "Next slide", "zh": "下一页"},
    "brief_go_to": {"en": "Slide {number}: {title}", "zh": "第{number}页：{title}"},
    "brief_counter": {"en": "{number} / {count}", "zh": "{number} / {count}"},
    "brief_keys_hint": {
        "en": "→ or space: next · ←: previous", "zh": "→ 或空格：下一页 · ←：上一页",
    },
    "brief_table_place": {"en": "Province", "zh": "省份"},
    "brief_table_count": {"en": "At large", "zh": "在逃人数"},
}
