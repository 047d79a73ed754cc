"""What a person sees in real Chromium: the volunteer form asks for a parent or guardian only
for an under-18 (without JavaScript), "What is COPE?" is near the top of the home page on a
phone, and the "Open in your map app" (geo:) link shows on a phone, not on a desktop."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def open_page(chromium):
    contexts = []

    def open_page(url, **options):
        context = chromium.new_context(**options)
        contexts.append(context)
        page = context.new_page()
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_the_guardian_fields_appear_only_for_an_under_18_without_javascript(
    live_server, transactional_db, cope_content, open_page, prefix
):
    page = open_page(f"{live_server.url}{prefix}/volunteer/", java_script_enabled=False, **PHONE)
    guardian = page.locator("#id_guardian_name")
    under_18, adult = page.locator("#id_age_band_0"), page.locator("#id_age_band_1")

    assert not guardian.is_visible()
    under_18.check()
    assert guardian.is_visible() and page.locator("#id_guardian_phone").is_visible()
    adult.check()
    assert not guardian.is_visible()


def test_an_under_18_sent_back_with_errors_still_sees_the_guardian_fields(
    live_server, transactional_db, cope_content, open_page
):
    page = open_page(f"{live_server.url}/volunteer/", java_script_enabled=False, **PHONE)
    page.locator("#id_age_band_0").check()
    page.get_by_role("button", name="Send my sign-up").click()

    assert page.title().startswith("Error: ")
    assert page.locator("#id_guardian_name").is_visible()


@pytest.mark.parametrize("path", ["/", "/es/"])
def test_what_is_cope_is_within_the_first_two_screens_on_a_phone(
    live_server, transactional_db, cope_content, open_page, path
):
    page = open_page(live_server.url + path, **PHONE)

    top = page.locator("#what-is-cope").bounding_box()["y"]
    assert top < 2 * PHONE["viewport"]["height"]


def test_the_map_app_link_shows_on_a_phone_and_not_on_a_desktop(
    live_server, transactional_db, cope_content, open_page
):
    phone = open_page(f"{live_server.url}/precincts/north/", **PHONE)
    desktop = open_page(f"{live_server.url}/precincts/north/", **DESKTOP)

    assert phone.locator("a.geo").first.is_visible()
    assert desktop.locator("a.geo").count() >= 1
    assert not any(link.is_visible() for link in desktop.locator("a.geo").all())
