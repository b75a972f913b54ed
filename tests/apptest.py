"""One page under AppTest, rendered by the shell app.py uses but without the navigation around it.

``AppTest.switch_page`` finds pages by file, and Casemap's pages are
``render(view)`` functions that app.py registers with ``st.navigation``; this
runs the same shell and one page's ``render`` directly.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

PAGE_SCRIPT = """
from casemap.access import Access, Scope
from casemap.ui import shell, signin
from app_pages import {name} as page

access = {access}
if access is None:  # as the app admits this session
    access, _ = signin.admit()
view = shell.prepare_view(access)
if shell.frame(view, "{name}"):
    page.render(view)
"""


def page_test(name: str, timeout: float = 60, access: str = "None") -> AppTest:
    """An AppTest of page ``name`` (``"data"``, ``"map"``, ...), not run yet.

    ``access`` is the Python source of the :class:`casemap.access.Access` the
    page is shown to (``Access("v", "viewer", Scope.of(["430000"]))``); by
    default the session is admitted as the app admits it (local mode here).
    """
    return AppTest.from_string(PAGE_SCRIPT.format(name=name, access=access), default_timeout=timeout)
