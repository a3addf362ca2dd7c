import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_advisor_logs_in_and_sees_both_tiles(page, live_server, login, alice, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("link", name="Opstarten nieuw contract").is_visible()
    assert page.get_by_role("link", name="Monitoren contracten").is_visible()
    check_page(page)
