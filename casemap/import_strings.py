"""User-facing strings of the Data page and the importer (merged into casemap.i18n)."""

IMPORT_STRINGS: dict[str, dict[str, str]] = {
    "nav_data": {"en": "Data", "zh": "数据导入"},
    # Kinds and fields
    "kind_suspects": {"en": "Suspects", "zh": "嫌疑人名单"},
    "kind_payments": {"en": "Payments", "zh": "资金流水"},
    "field_suspect_id": {"en": "Suspect ID", "zh": "嫌疑人编号"},
    "field_name": {"en": "Name", "zh": "姓名"},
    "field_role": {"en": "Role", "zh": "角色"},
    "field_status": {"en": "Status", "zh": "状态"},
    "field_province": {"en": "Province", "zh": "省份"},
    "field_city": {"en": "City", "zh": "城市"},
    "field_address": {"en": "Address", "zh": "地址"},
    "field_arrest_date": {"en": "Arrest date", "zh": "抓获日期"},
    "field_amount_yuan": {"en": "Amount (yuan)", "zh": "金额（元）"},
    "field_province_adcode": {"en": "Province code", "zh": "省级行政区划代码"},
    "field_city_adcode": {"en": "City code", "zh": "地级行政区划代码"},
    "field_phone_cards": {"en": "Phone cards", "zh": "电话卡数"},
    "field_wechat_accounts": {"en": "WeChat accounts", "zh": "微信账号数"},
    "field_qq_accounts": {"en": "QQ accounts", "zh": "QQ 账号"},
    "field_txn_id": {"en": "Transaction ID", "zh": "交易编号"},
    "field_time": {"en": "Time", "zh": "交易时间"},
    "field_payer_id": {"en": "Payer", "zh": "付款方"},
    "field_payee_id": {"en": "Payee", "zh": "收款方"},
    "field_channel": {"en": "Channel", "zh": "支付方式"},
    "field_purpose": {"en": "Purpose", "zh": "用途"},
    # Whole-file problems (ImportFileError codes)
    "import_error_unreadable": {"en": "The file cannot be read ({detail}).", "zh": "无法读取该文件（{detail}）。"},
    "import_error_too_large": {
        "en": "The file is {size_mb} MB; the limit is {limit_mb} MB. Split it into smaller files.",
        "zh": "文件大小为 {size_mb} MB，超过 {limit_mb} MB 的上限，请拆分为多个较小的文件。",
    },
    "import_error_too_large_unzipped": {
        "en": "The workbook unpacks to more than {limit_mb} MB, or one of its parts is too large to read; "
              "save it again, split it or save it as CSV.",
        "zh": "该工作簿解压后超过 {limit_mb} MB，或其中某一部分过大无法读取，请重新保存、拆分或另存为 CSV 后再导入。",
    },
    "import_error_too_many_cells": {
        "en": "The workbook has more than {limit} cells, the limit for a workbook import; split it or save it as CSV.",
        "zh": "该工作簿超过 {limit} 个单元格（工作簿导入的上限），请拆分或另存为 CSV 后再导入。",
    },
    "import_error_too_many_chars": {
        "en": "The workbook's cells hold more than {limit} characters, the limit for a workbook import; "
              "split it or save it as CSV.",
        "zh": "该工作簿的单元格内容超过 {limit} 个字符（工作簿导入的上限），请拆分或另存为 CSV 后再导入。",
    },
    "import_error_too_many_rows": {
        "en": "The workbook has rows beyond row {limit}, the last row Excel has; save it again in Excel.",
        "zh": "该工作簿含有超出第 {limit} 行（Excel 的最后一行）的行，请在 Excel 中重新保存。",
    },
    "import_error_worker_died": {
        "en": "Reading the file stopped before it was done; try again, or split the file.",
        "zh": "读取文件时意外中止，请重试或拆分文件。",
    },
    "import_error_empty": {"en": "The file has no rows.", "zh": "文件中没有任何数据行。"},
    "import_error_old_excel": {
        "en": "Old Excel files (.xls) are not supported; save the file as .xlsx or CSV.",
        "zh": "不支持旧版 Excel 文件（.xls），请另存为 .xlsx 或 CSV。",
    },
    "import_error_not_text": {
        "en": "This is neither a CSV text file (UTF-8 or GB18030) nor an Excel .xlsx workbook.",
        "zh": "该文件既不是 CSV 文本文件（UTF-8 或 GB18030 编码），也不是 Excel .xlsx 工作簿。",
    },
    "import_error_bad_csv": {"en": "The CSV file is malformed ({detail}).", "zh": "CSV 文件格式有误（{detail}）。"},
    "import_error_bad_workbook": {
        "en": "The Excel workbook is damaged or not a workbook ({detail}).",
        "zh": "Excel 工作簿已损坏或不是工作簿（{detail}）。",
    },
    "import_error_headers_missing": {
        "en": "The headers do not fit a {kind} list: missing {missing}.",
        "zh": "表头与{kind}不符：缺少 {missing}。",
    },
    "import_error_headers_unmatched": {
        "en": (
            "The headers match neither kind of case file. A suspects list is missing {missing_suspects}; "
            "a payments list is missing {missing_payments}; an accounts list is missing {missing_accounts}; "
            "a links list is missing {missing_links}. See the templates for the accepted headers."
        ),
        "zh": "表头不符合任何一种案件文件：嫌疑人名单缺少 {missing_suspects}；资金流水缺少 {missing_payments}；"
              "账号名单缺少 {missing_accounts}；关系名单缺少 {missing_links}。可识别的表头见导入模板。",
    },
    # Rejected rows: every reason names the row and the column
    "reject_missing": {
        "en": "Row {row}, column “{column}”: a value is required.",
        "zh": "第 {row} 行，“{column}”列：此项必填。",
    },
    "reject_duplicate_id": {
        "en": "Row {row}, column “{column}”: “{value}” repeats the ID of row {first}; the earlier row is kept.",
        "zh": "第 {row} 行，“{column}”列：编号“{value}”与第 {first} 行重复，保留前一行。",
    },
    "reject_unknown_role": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known role; expected one of {expected}.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的角色，应为：{expected}。",
    },
    "reject_unknown_status": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known status; expected one of {expected}.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的状态，应为：{expected}。",
    },
    "reject_unknown_channel": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known payment channel; expected one of {expected}.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是可识别的支付方式，应为：{expected}。",
    },
    "reject_place_missing": {
        "en": "Row {row}, column “{column}”: no place given; fill in the province and city, or an address.",
        "zh": "第 {row} 行，“{column}”列：未填写地点，请填写省份和城市，或包含省市的地址。",
    },
    "reject_place_unknown": {
        "en": "Row {row}, column “{column}”: “{value}” is not a known province, city or county.",
        "zh": "第 {row} 行，“{column}”列：无法识别地点“{value}”。",
    },
    "reject_place_ambiguous": {
        "en": "Row {row}, column “{column}”: “{value}” could be more than one city ({detail}); add the province.",
        "zh": "第 {row} 行，“{column}”列：“{value}”可能指多个城市（{detail}），请补充省份。",
    },
    "reject_place_not_in_province": {
        "en": "Row {row}, column “{column}”: the city “{value}” is not in the province “{province}”.",
        "zh": "第 {row} 行，“{column}”列：城市“{value}”不在“{province}”省内。",
    },
    "reject_bad_date": {
        "en": "Row {row}, column “{column}”: “{value}” is not a date; expected e.g. 2024-08-03, 2024/8/3 or 2024年8月3日.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是有效日期，应如 2024-08-03、2024/8/3 或 2024年8月3日。",
    },
    "reject_bad_amount": {
        "en": "Row {row}, column “{column}”: “{value}” is not an amount in yuan; expected e.g. 12500, 12,500, ¥12500 or 1.25万.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是有效金额，应如 12500、12,500、¥12500 或 1.25万。",
    },
    "reject_negative_amount": {
        "en": "Row {row}, column “{column}”: “{value}” is negative; amounts must be zero or more.",
        "zh": "第 {row} 行，“{column}”列：金额“{value}”为负数，金额不能小于零。",
    },
    "reject_bad_count": {
        "en": "Row {row}, column “{column}”: “{value}” is not a whole number of zero or more.",
        "zh": "第 {row} 行，“{column}”列：“{value}”不是非负整数。",
    },
    # Tables
    "col_row": {"en": "Row", "zh": "行号"},
    "col_column": {"en": "Column", "zh": "列"},
    "col_reason": {"en": "Reason", "zh": "原因"},
    "col_file_column": {"en": "Column in the file", "zh": "文件中的列"},
    "col_field": {"en": "Stored as", "zh": "导入为"},
    "mapping_extra": {"en": "kept as extra information", "zh": "作为附加信息保留"},
    "col_at": {"en": "When (UTC)", "zh": "时间（UTC）"},
    "col_file": {"en": "File", "zh": "文件"},
    "col_kind": {"en": "Kind", "zh": "类型"},
    "col_rows": {"en": "Rows", "zh": "行数"},
    "col_accepted": {"en": "Accepted", "zh": "已接受"},
    "col_rejected": {"en": "Rejected", "zh": "已拒绝"},
    "col_user": {"en": "By", "zh": "操作人"},
    "col_mode": {"en": "Mode", "zh": "方式"},
    "col_undone": {"en": "Undone", "zh": "已撤销"},
    # The Data page
    "data_title": {"en": "Import case files", "zh": "导入案件数据"},
    "data_intro": {
        "en": "Upload suspect lists and payment records. Every row is checked first; nothing is stored until you import.",
        "zh": "上传嫌疑人名单和资金流水。系统先逐行检查，点击导入后才会保存。",
    },
    "upload_label": {"en": "Case files (CSV or Excel .xlsx)", "zh": "案件数据文件（CSV 或 Excel .xlsx）"},
    "upload_help": {
        "en": "Up to {limit} MB per file; several files at once. Each sheet of a workbook is read as its own list.",
        "zh": "每个文件不超过 {limit} MB，可一次上传多个文件；工作簿的每个工作表按单独的名单读取。",
    },
    "upload_reading": {"en": "Reading {file}… {seconds} s", "zh": "正在读取 {file}…… 已用 {seconds} 秒"},
    "file_problem": {"en": "{file}: {message}", "zh": "{file}：{message}"},
    "sheet_skipped": {"en": "Sheet “{sheet}” skipped: {message}", "zh": "已跳过工作表“{sheet}”：{message}"},
    "list_kind": {
        "en": "Read as **{kind}**; headers on row {row}.",
        "zh": "识别为**{kind}**，表头位于第 {row} 行。",
    },
    "mapping_heading": {"en": "Which column became which field", "zh": "列与字段的对应关系"},
    "metric_rows": {"en": "Rows", "zh": "数据行"},
    "metric_accepted": {"en": "Accepted", "zh": "可导入"},
    "metric_rejected": {"en": "Rejected", "zh": "被拒绝"},
    "unused_columns": {
        "en": "Columns kept with each row as extra information: {columns}",
        "zh": "以下列作为附加信息随每行保留：{columns}",
    },
    "rejects_heading": {"en": "Rejected rows", "zh": "被拒绝的行"},
    "rejects_download": {"en": "Download rejected rows (CSV)", "zh": "下载被拒绝的行（CSV）"},
    "commit_heading": {"en": "Store the accepted rows", "zh": "保存可导入的行"},
    "commit_case": {"en": "Into case", "zh": "导入到案件"},
    "commit_new_case": {"en": "New case…", "zh": "新建案件…"},
    "commit_new_name": {"en": "Name of the new case", "zh": "新案件名称"},
    "commit_mode": {"en": "Mode", "zh": "导入方式"},
    "mode_append": {"en": "Append to the stored rows", "zh": "追加到已有数据"},
    "mode_replace": {
        "en": "Replace the stored rows of the kinds imported",
        "zh": "替换同类已有数据",
    },
    "commit_button": {"en": "Import {accepted} rows", "zh": "导入 {accepted} 行"},
    "commit_done": {
        "en": "Stored {accepted} rows in case “{case}” (data version {version}). Choose the case in the sidebar to see it.",
        "zh": "已将 {accepted} 行保存到案件“{case}”（数据版本 {version}）。在侧栏选择该案件即可查看。",
    },
    "commit_demo": {
        "en": "The demo case is read-only; choose or name another case.",
        "zh": "示例案件为只读，请选择或新建其他案件。",
    },
    "commit_duplicates": {
        "en": "Nothing was stored: some IDs are already in the case or appear in two lists ({detail}). Choose “Replace”, or remove those rows.",
        "zh": "未保存任何数据：部分编号已存在于该案件或在两份名单中重复（{detail}）。请选择“替换”，或删除这些行。",
    },
    "commit_failed": {"en": "Nothing was stored: {detail}", "zh": "未保存任何数据：{detail}"},
    "undo_heading": {"en": "Undo and history", "zh": "撤销与导入记录"},
    "undo_button": {"en": "Undo the last import into “{case}”", "zh": "撤销对“{case}”的最近一次导入"},
    "undo_done": {"en": "Undid the last import into “{case}”.", "zh": "已撤销对“{case}”的最近一次导入。"},
    "undo_nothing": {"en": "There is no import left to undo in “{case}”.", "zh": "“{case}”没有可撤销的导入。"},
    "undo_changed": {
        "en": "“{case}” was changed after its last import, so that import can no longer be undone.",
        "zh": "“{case}”在最近一次导入后已被修改，无法再撤销该次导入。",
    },
    "history_empty": {"en": "No imports into “{case}” yet.", "zh": "“{case}”尚无导入记录。"},
    "history_pick_case": {
        "en": "Choose an existing case above to see its import history.",
        "zh": "在上方选择已有案件即可查看其导入记录。",
    },
    "template_heading": {"en": "Templates", "zh": "导入模板"},
    "template_lang": {"en": "Header language", "zh": "表头语言"},
    "template_download": {"en": "{kind} template (CSV)", "zh": "{kind}模板（CSV）"},
    "template_help": {
        "en": "Headers only. Other spellings are accepted too; see docs/import.md.",
        "zh": "模板仅含表头，也接受其他常见写法，详见 docs/import.md。",
    },
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
}
