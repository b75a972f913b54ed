"""User-facing strings of accounts and links: import fields and reasons, KPI, map metric (merged into casemap.i18n)."""

ACCOUNT_STRINGS: dict[str, dict[str, str]] = {
    # Import fields
    "field_payer_account": {"en": "Payer account", "zh": "付款账号"},
    "field_payee_account": {"en": "Payee account", "zh": "收款账号"},
}
