"""User-facing strings of the Cases page, for admins (merged into casemap.i18n)."""

CASE_STRINGS: dict[str, dict[str, str]] = {
    "nav_cases": {"en": "Cases", "zh": "案件管理"},
    "cases_title": {"en": "Cases", "zh": "案件管理"},
    "cases_intro": {
        "en": "The cases stored in this database. Only admins see this page; every deletion is in the audit log.",
        "zh": "本数据库中保存的案件。仅管理员可见此页；每次删除都记入审计日志。",
    },
    "cases_name": {"en": "Case", "zh": "案件"},
    "cases_created": {"en": "Created (UTC)", "zh": "创建时间（UTC）"},
    "cases_version": {"en": "Data version", "zh": "数据版本"},
    "cases_suspects": {"en": "Suspects", "zh": "嫌疑人"},
    "cases_payments": {"en": "Payments", "zh": "资金流水"},
    "cases_read_only": {"en": "read-only", "zh": "只读"},
    "cases_delete_heading": {"en": "Delete a case", "zh": "删除案件"},
    "cases_delete_warning": {
        "en": "Deleting a case removes all its rows, their history and its frozen briefing snapshots. "
              "It cannot be undone.",
        "zh": "删除案件将移除其全部数据、历史版本和已冻结的简报快照，且无法撤销。",
    },
    "cases_choose": {"en": "Case to delete", "zh": "要删除的案件"},
    "cases_confirm": {"en": "Type the case name to confirm", "zh": "请输入案件名称以确认"},
    "cases_delete": {"en": "Delete case", "zh": "删除案件"},
    "cases_mismatch": {
        "en": "The name typed does not match “{case}”: nothing was deleted.",
        "zh": "输入的名称与“{case}”不一致，未删除任何内容。",
    },
    "cases_demo_read_only": {
        "en": "The demo case “{case}” is read-only and cannot be deleted.",
        "zh": "演示案件“{case}”为只读，不能删除。",
    },
    "cases_only_demo": {
        "en": "Only the read-only demo case is stored: there is nothing to delete.",
        "zh": "目前只有只读的演示案件，没有可删除的案件。",
    },
    "cases_gone": {"en": "No case “{case}” is stored (any more).", "zh": "案件“{case}”不存在（或已被删除）。"},
    "cases_deleted": {
        "en": "Deleted case “{case}”: {suspects} suspects and {payments} payments.",
        "zh": "已删除案件“{case}”：{suspects} 名嫌疑人、{payments} 笔资金流水。",
    },
}
