"""The Data page in a real browser: upload two messy files, read the counts, import into a new case."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


def test_upload_check_and_import_into_a_new_case(server, open_page):
    view = open_page()
    page = view.page
    # The shell first: on a fresh server a deep link runs before st.navigation exists (see the report).
    page.goto(f"{server}/?lang=en")
    view.wait_for_app()
    page.goto(f"{server}/data?lang=en")
    view.wait_for_app()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        [str(FIXTURES / "suspects_messy.csv"), str(FIXTURES / "payments_messy_gb18030.csv")]
    )
    page.get_by_text("headers on row 1").wait_for(timeout=60_000)
    view.wait_for_app()

    # From the fixtures: suspects 20 rows, 9 accepted, 11 rejected; payments 11, 5, 6.
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[:6] == ["20", "9", "11", "11", "5", "6"]
    assert page.get_by_text("headers on row 2").count() == 1
    assert page.get_by_role("button", name="Download rejected rows (CSV)").count() == 2
    view.screenshot("data-page-checked")

    target = page.get_by_role("combobox", name="Into case")
    if target.input_value() != "New case…":  # it is the default while the demo is the only case
        target.click()
        page.get_by_role("option", name="New case…").click()
        view.wait_for_app()
    name_box = page.get_by_label("Name of the new case")
    name_box.fill("browser import")
    name_box.press("Enter")
    view.wait_for_app()
    page.get_by_role("button", name="Import 14 rows").click()
    page.get_by_text("Stored 14 rows in case").wait_for(timeout=60_000)
    view.wait_for_app()

    assert page.locator(ERRORS).count() == 0
    # The new case is chosen, and its history lists both files.
    assert page.get_by_role("combobox", name="Into case").input_value() == "browser import"
    assert page.get_by_role("button", name="Undo the last import into “browser import”").count() == 1
    assert page.locator('[data-testid="stMetricValue"]').count() == 0  # the uploads were cleared
    assert view.external_requests() == []
    view.screenshot("data-page-imported")
