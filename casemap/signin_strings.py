"""User-facing strings of sign-in, roles, the users page and the audit log (merged into casemap.i18n)."""

SIGNIN_STRINGS: dict[str, dict[str, str]] = {
    # Refusals: what a request that is not served sees instead of the app
    "signin_title": {"en": "Casemap", "zh": "Casemap 案情地图"},
    "signin_prompt": {
        "en": "Sign in with your unit's account to see the case.",
        "zh": "请使用本单位账号登录后查看案情。",
    },
    "signin_button": {"en": "Sign in", "zh": "登录"},
    "signout_button": {"en": "Sign out", "zh": "退出登录"},
    "signin_not_configured": {
        "en": "Sign-in is not configured. This Casemap runs in local mode and serves only the person at the "
              "machine it runs on (the loopback address). To share it, its administrator sets up sign-in "
              "(see the README).",
        "zh": "未配置登录。本 Casemap 以本机模式运行，只为运行它的计算机前的使用者（回环地址）提供服务。"
              "如需共享，请管理员配置登录（见 README）。",
    },
    "signin_not_authorised": {
        "en": "You are signed in as {identity}, but you are not authorised to use this Casemap. "
              "Ask its administrator to add you.",
        "zh": "您已以 {identity} 登录，但无权使用本 Casemap。请联系管理员为您添加账号。",
    },
    "signin_untrusted": {
        "en": "This request did not come through the unit's sign-in proxy, so it is refused.",
        "zh": "此请求未经过本单位的登录代理，已被拒绝。",
    },
    "signin_misconfigured": {
        "en": "Sign-in is misconfigured, so nothing is shown: {problem}",
        "zh": "登录配置有误，因此不显示任何内容：{problem}",
    },
    # Who is signed in, in the sidebar
    "signin_local_badge": {"en": "Local mode", "zh": "本机模式"},
    "signin_as": {"en": "Signed in as {identity} · {role}", "zh": "已登录：{identity} · {role}"},
    "signin_scope": {"en": "Provinces: {provinces}", "zh": "可见省份：{provinces}"},
    "role_viewer": {"en": "viewer", "zh": "查看者"},
    "role_analyst": {"en": "analyst", "zh": "分析员"},
    "role_admin": {"en": "admin", "zh": "管理员"},
    # Rights
    "role_no_import": {
        "en": "Your role ({role}) may look at the case but not import, replace or undo data.",
        "zh": "您的角色（{role}）可以查看案情，但不能导入、替换或撤销数据。",
    },
    "role_no_export": {
        "en": "Your role ({role}) does not include downloads.",
        "zh": "您的角色（{role}）不能下载数据。",
    },
    # Admin pages
    "nav_users": {"en": "Users", "zh": "用户"},
    "nav_audit": {"en": "Audit log", "zh": "审计日志"},
    "users_title": {"en": "Users", "zh": "用户"},
    "users_intro": {
        "en": "Who may sign in, with which role, and which provinces they see (none chosen: every province). "
              "The command line does the same: python -m casemap user add|list|set|remove.",
        "zh": "可登录的人员、其角色及可见省份（未选择：全部省份）。命令行亦可：python -m casemap user add|list|set|remove。",
    },
    "users_identity": {"en": "E-mail or sign-in name", "zh": "邮箱或登录名"},
    "users_role": {"en": "Role", "zh": "角色"},
    "users_provinces": {"en": "Provinces", "zh": "省份"},
    "users_all_provinces": {"en": "every province", "zh": "全部省份"},
    "users_created": {"en": "Added", "zh": "添加时间"},
    "users_updated": {"en": "Changed", "zh": "修改时间"},
    "users_add_heading": {"en": "Add or change a user", "zh": "添加或修改用户"},
    "users_save": {"en": "Save user", "zh": "保存用户"},
    "users_remove_heading": {"en": "Remove a user", "zh": "删除用户"},
    "users_remove": {"en": "Remove {identity}", "zh": "删除 {identity}"},
    "users_saved": {"en": "Saved {identity}.", "zh": "已保存 {identity}。"},
    "users_removed": {"en": "Removed {identity}.", "zh": "已删除 {identity}。"},
    "users_not_self": {
        "en": "You cannot remove yourself or take away your own admin role.",
        "zh": "不能删除自己，也不能取消自己的管理员角色。",
    },
    "users_none": {"en": "No users yet.", "zh": "尚无用户。"},
    "audit_title": {"en": "Audit log", "zh": "审计日志"},
    "audit_intro": {
        "en": "Every sign-in, sign-out, refused request, page view, export, import, undo and user change, newest "
              "first. The log only grows: nothing in Casemap changes or deletes an entry.",
        "zh": "所有登录、退出、被拒绝的请求、页面浏览、导出、导入、撤销和用户变更，最新的在前。日志只增不改：Casemap 不会修改或删除任何记录。",
    },
    "audit_user": {"en": "User", "zh": "用户"},
    "audit_action": {"en": "Action", "zh": "操作"},
    "audit_since": {"en": "Since", "zh": "起始日期"},
    "audit_any": {"en": "any", "zh": "全部"},
    "audit_at": {"en": "When (UTC)", "zh": "时间（UTC）"},
    "audit_address": {"en": "Address", "zh": "地址"},
    "audit_detail": {"en": "What", "zh": "内容"},
    "audit_shown": {"en": "{shown} newest entries of those chosen.", "zh": "所选条件下最新的 {shown} 条记录。"},
    "audit_none": {"en": "No entries.", "zh": "没有记录。"},
}
