"""User-facing strings of the briefing's writes refused to viewers (merged into casemap.i18n)."""

MASK_STRINGS: dict[str, dict[str, str]] = {
    "frozen_refused": {
        "en": "Only analysts and admins may freeze or delete snapshots; nothing was stored.",
        "zh": "只有分析员和管理员可以冻结或删除快照；未保存任何内容。",
    },
}
