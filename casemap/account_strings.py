"""User-facing strings of accounts and links: import fields and reasons, KPI, map metric (merged into casemap.i18n)."""

_NUMBER_RULES = {
    "phone_digits": ("a phone number: 11 digits starting with 1 (+86, spaces and dashes are removed)",
                     "手机号：11 位数字且以 1 开头（+86、空格和短横线会去掉）"),
    "card_digits": ("a bank card number: 12 to 19 digits", "银行卡号：12 至 19 位数字"),
    "usdt_address": ("a TRC-20 USDT address: 34 letters and digits (base58) starting with T",
                     "TRC-20 USDT 地址：以 T 开头的 34 位字母数字（base58）"),
    "qq_digits": ("a QQ number: 5 to 11 digits, not starting with 0", "QQ 号：5 至 11 位数字，不以 0 开头"),
    "wechat_id": ("a WeChat ID (6 to 20 letters, digits, _ or -, starting with a letter) or a phone number",
                  "微信号（以字母开头的 6 至 20 位字母、数字、_ 或 -）或手机号"),
    "alipay_login": ("an Alipay account: a phone number or an e-mail address", "支付宝账号：手机号或电子邮箱"),
}

ACCOUNT_STRINGS: dict[str, dict[str, str]] = {
    "kind_accounts": {"en": "Accounts", "zh": "账号名单"},
    "kind_links": {"en": "Links", "zh": "关系名单"},
    # Import fields
    "field_payer_account": {"en": "Payer account", "zh": "付款账号"},
    "field_payee_account": {"en": "Payee account", "zh": "收款账号"},
    "field_account_id": {"en": "Account ID", "zh": "账号编号"},
    "field_kind": {"en": "Account kind", "zh": "账号类型"},
    "field_number": {"en": "Number", "zh": "号码"},
    "field_holder_id": {"en": "Holder", "zh": "持有人"},
    "field_first_seen": {"en": "First seen", "zh": "首次发现"},
    "field_lead": {"en": "Lead source", "zh": "线索来源"},
    "field_luhn_ok": {"en": "Card check (Luhn)", "zh": "卡号校验（Luhn）"},
    "field_link_id": {"en": "Link ID", "zh": "关系编号"},
    "field_from_id": {"en": "From", "zh": "起点"},
    "field_to_id": {"en": "To", "zh": "终点"},
    "field_relation": {"en": "Relation", "zh": "关系"},
    "field_source": {"en": "Source", "zh": "来源"},
    "field_date": {"en": "Date", "zh": "日期"},
    "field_note": {"en": "Note", "zh": "备注"},
    # Rejected rows
    "reject_unknown_kind": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known account kind; expected one of {expected}.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的账号类型，应为：{expected}。",
    },
    "reject_unknown_account_status": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known account status; expected one of {expected}, "
              "or blank.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的账号状态，应为：{expected}，或留空。",
    },
    "reject_unknown_relation": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known relation; expected one of {expected}.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的关系，应为：{expected}。",
    },
    "reject_unknown_lead_source": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known lead source; expected one of {expected}, "
              "or blank.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的线索来源，应为：{expected}，或留空。",
    },
    **{
        f"reject_number_{code}": {
            "en": f"Row {{row}}, column “{{column}}”: “{{value}}” is not {en}.",
            "zh": f"第 {{row}} 行，“{{column}}”列：“{{value}}”不符合{zh}。",
        }
        for code, (en, zh) in _NUMBER_RULES.items()
    },
    "reject_duplicate_link": {
        "en": "Row {row}, column “{column}”: the link “{value}” repeats row {first}; the earlier row is kept.",
        "zh": "第 {row} 行，“{column}”列：关系“{value}”与第 {first} 行重复，保留前一行。",
    },
    "reject_link_end_unknown": {
        "en": "Row {row}, column “{column}”: “{value}” is neither a suspect nor an account of the case; "
              "import it first or in the same upload.",
        "zh": "第 {row} 行，“{column}”列：“{value}”既不是本案的嫌疑人，也不是本案的账号；请先导入，或在同一次上传中导入。",
    },
    "commit_link_ends_unknown": {
        "en": "Nothing was stored: {count} link rows name an end that is neither a suspect nor an account of "
              "case “{case}” nor in this upload ({detail}). Import those suspects or accounts first, or add them "
              "to this upload.",
        "zh": "未保存任何数据：有 {count} 行关系的起点或终点既不是案件“{case}”的嫌疑人或账号，也不在本次上传中（{detail}）。"
              "请先导入这些嫌疑人或账号，或将其加入本次上传。",
    },
    # Overview and map
    "kpi_accounts_rented": {"en": "Accounts rented", "zh": "出租号码账号"},
    "kpi_accounts_rented_help": {
        "en": "Phone numbers and WeChat, QQ, Alipay and other accounts rented out: {kinds}",
        "zh": "出租的手机号码及微信、QQ、支付宝等账号：{kinds}",
    },
    "metric_accounts_rented": {"en": "Accounts rented", "zh": "出租号码账号"},
    "summary_accounts": {
        "en": "**{rented}** phone numbers and accounts were rented out; **{traced}** of them were traced to the "
              "overseas groups through links and payments.",
        "zh": "共出租手机号码和账号 **{rented}** 个，其中 **{traced}** 个经关系和资金往来追查到境外团伙。",
    },
}
