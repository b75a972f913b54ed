"""One page under AppTest, rendered by the shell app.py uses but without the navigation around it.

``AppTest.switch_page`` finds pages by file, and Casemap's pages are
``render(view)`` functions that app.py registers with ``st.navigation``; this
runs the same shell and one page's ``render`` directly.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE_SCRIPT = """
from casemap.ui import shell, signin
from app_pages import {name} as page

access, _ = signin.admit()
view = shell.prepare_view(access)
if shell.frame(view, "{name}"):
    page.render(view)
"""


def page_test(name: str, timeout: float = 60) -> AppTest:
    """An AppTest of page ``name`` (``"data"``, ``"map"``, ...), not run yet."""
    return AppTest.from_string(PAGE_SCRIPT.format(name=name), default_timeout=timeout)
