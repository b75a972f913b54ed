import re

from casemap.ui import layout


def test_the_layout_rules_survive_the_html_sanitizer():
    # st.html cleans its HTML with DOMPurify, which drops a whole <style> whose text holds a
    # "<" (a tag-like "<key>" in a comment did): the page would then lose every rule at once.
    assert "<" not in layout.CSS.read_text(encoding="utf-8")


def test_every_kind_of_row_has_its_rules():
    css = layout.CSS.read_text(encoding="utf-8")
    for prefix in (layout.CARDS, layout.STACK):
        assert f'[class*="st-key-{prefix}"]' in css
        assert re.search(rf'\[class\*="st-key-{prefix}"\] \[data-testid="stColumn"\] \{{\s*min-width', css)
