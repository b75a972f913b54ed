"""User-facing strings of frozen briefing snapshots and the briefing pack (merged into casemap.i18n)."""

FROZEN_STRINGS: dict[str, dict[str, str]] = {
    # Frozen snapshots
    "frozen_banner": {
        "en": "Snapshot “{name}” of {date}, data version {version}: these figures do not change with later imports.",
        "zh": "快照“{name}”：{date}，数据版本 {version}。其中数字不随之后的导入而变化。",
    },
    "frozen_bad_id": {
        "en": "“{value}” is not a snapshot ID (a whole number); showing the live figures.",
        "zh": "“{value}”不是有效的快照编号（应为整数），现显示实时数据。",
    },
    "frozen_unknown": {
        "en": "No snapshot {value} is stored (it may have been deleted); showing the live figures.",
        "zh": "未找到快照 {value}（可能已被删除），现显示实时数据。",
    },
    "frozen_freeze": {"en": "Freeze for briefing", "zh": "冻结用于汇报"},
    "frozen_freeze_help": {
        "en": "Store these filters at data version {version}, so a link shows the same figures after later imports.",
        "zh": "以数据版本 {version} 保存当前筛选，之后即使导入新数据，链接仍显示相同数字。",
    },
    "frozen_name": {"en": "Snapshot name", "zh": "快照名称"},
    "frozen_default_name": {"en": "Briefing {date}", "zh": "汇报 {date}"},
    "frozen_save": {"en": "Freeze", "zh": "冻结"},
    "frozen_saved": {"en": "Snapshot {id} stored. Its link: {link}", "zh": "已保存快照 {id}。链接：{link}"},
    "frozen_name_problem": {"en": "Not stored: {problem}", "zh": "未保存：{problem}"},
    "frozen_name_blank": {"en": "a snapshot needs a name.", "zh": "快照需要名称。"},
    "frozen_name_too_long": {"en": "a snapshot name has at most {limit} characters.", "zh": "快照名称最多 {limit} 个字符。"},
    "frozen_name_control": {"en": "a snapshot name cannot hold control characters.", "zh": "快照名称不能包含控制字符。"},
    "frozen_tools": {"en": "Freeze, snapshots, briefing pack, PNG", "zh": "冻结、快照、汇报材料、PNG"},
    "frozen_list": {"en": "Frozen snapshots", "zh": "已冻结的快照"},
    "frozen_none": {"en": "No snapshot of this case yet.", "zh": "本案尚无快照。"},
    "frozen_row": {
        "en": "{id} · {name} · {date} · data version {version}",
        "zh": "{id} · {name} · {date} · 数据版本 {version}",
    },
    "frozen_open": {"en": "Open", "zh": "打开"},
    "frozen_delete": {"en": "Delete", "zh": "删除"},
    "frozen_deleted": {"en": "Snapshot {id} deleted.", "zh": "已删除快照 {id}。"},
    "undo_frozen": {
        "en": "Undo refused: briefing snapshots of case “{case}” were taken after its last import. Delete them "
              "first (Briefing page, ⋯ menu, or `python -m casemap snapshot delete ID`).",
        "zh": "无法撤销：案件“{case}”在最近一次导入后冻结了汇报快照。请先删除这些快照"
              "（汇报页面的 ⋯ 菜单，或 `python -m casemap snapshot delete 编号`）。",
    },
    # The briefing pack
    "pack_title": {"en": "Briefing pack", "zh": "汇报材料"},
    "pack_make": {"en": "Make PDF and PPTX", "zh": "生成 PDF 和 PPTX"},
    "pack_progress": {"en": "Slide {number} of {count}", "zh": "第 {number} / {count} 页"},
    "pack_printing": {"en": "Writing the PDF and the PPTX", "zh": "正在生成 PDF 和 PPTX"},
    "pack_done": {"en": "Briefing pack ready ({seconds} s)", "zh": "汇报材料已生成（{seconds} 秒）"},
    "pack_failed": {"en": "The briefing pack could not be made: {reason}", "zh": "无法生成汇报材料：{reason}"},
    "pack_pdf": {"en": "Download PDF", "zh": "下载 PDF"},
    "pack_pptx": {"en": "Download PPTX", "zh": "下载 PPTX"},
    "pack_footer": {
        "en": "{case} · data version {version} · {date}",
        "zh": "{case} · 数据版本 {version} · {date}",
    },
    "pack_no_chart": {"en": "Nothing to draw under these filters.", "zh": "当前筛选条件下无可绘制的内容。"},
    "chart_png": {"en": "PNG", "zh": "PNG"},
    "chart_png_help": {"en": "Download this chart as a PNG image", "zh": "将此图表下载为 PNG 图片"},
    "chart_png_overview-map": {"en": "Map (PNG)", "zh": "地图（PNG）"},
    "chart_png_overview-top": {"en": "Top places (PNG)", "zh": "地区排名（PNG）"},
    "chart_png_overview-time": {"en": "Arrests over time (PNG)", "zh": "抓获趋势（PNG）"},
    "chart_png_failed": {"en": "No image: {reason}", "zh": "无法生成图片：{reason}"},
}
