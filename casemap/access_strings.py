"""Strings of what a viewer sees in place of masked data (English and Simplified Chinese), merged into casemap.i18n."""

ACCESS_STRINGS: dict[str, dict[str, str]] = {
    # A viewer's search looks at labels only (casemap/query/rows.py): the boxes say so.
    "suspects_search_placeholder_masked": {"en": "Place, role or status", "zh": "地区、角色或状态"},
    "person_search_masked": {"en": "Search (place, role, status)", "zh": "搜索（地区、角色、状态）"},
}
