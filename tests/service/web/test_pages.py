"""What every page carries: Dutch HTML errors, security headers, a title without personal data, no inline code."""

from __future__ import annotations

import re

import pytest

from service.web.rendering import CONTENT_SECURITY_POLICY, is_page
from tests.service.web.conftest import Client, sign_in

INLINE = re.compile(r"<script(?![^>]*\ssrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def _pages(client: Client) -> dict[str, str]:
    found = {"/aanmelden": client.get("/aanmelden").text, "/onbekend": client.get("/onbekend").text}
    sign_in(client)
    found |= {"/": client.get("/").text, "/onbekend (aangemeld)": client.get("/onbekend").text}
    return found


def test_pages_carry_no_store_and_a_content_security_policy_without_inline_code(client: Client) -> None:
    for path in ("/aanmelden", "/onbekend", "/static/bibob.css"):
        headers = client.get(path).headers
        assert headers.get_list("content-security-policy") == [CONTENT_SECURITY_POLICY]
        assert headers.get_list("cache-control") == ["no-store"]
        assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_the_api_keeps_its_own_headers_and_problem_details(client: Client) -> None:
    response = client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_no_page_has_inline_scripts_styles_or_event_handlers(client: Client) -> None:
    for path, html in _pages(client).items():
        assert not INLINE.search(html), path


def test_every_page_has_a_dutch_title_landmarks_and_a_skip_link(client: Client) -> None:
    for path, html in _pages(client).items():
        assert '<html lang="nl">' in html, path
        assert re.search(r"<title>[^<]+ — Bibob-screening</title>", html), path
        assert all(tag in html for tag in ("<header", '<main id="inhoud"', "<footer")), path
        assert '<a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">' in html, path


def test_no_user_name_appears_in_a_title(client: Client) -> None:
    for path, html in _pages(client).items():
        title = re.search(r"<title>([^<]*)</title>", html)
        assert title and "vv-1" not in title.group(1), path


def test_an_unknown_page_is_a_dutch_404_page(client: Client) -> None:
    response = client.get("/bestaat/niet")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert '<h1 class="utrecht-heading-1">Pagina niet gevonden</h1>' in response.text


def test_a_wrong_method_is_a_dutch_405_page(client: Client) -> None:
    response = client.get("/afmelden")
    assert response.status_code == 405 and "Niet toegestaan" in response.text


def test_a_missing_static_file_is_a_404_page(client: Client) -> None:
    assert client.get("/static/bestaat-niet.css").status_code == 404


def test_htmx_requests_without_a_session_are_told_where_to_go_instead_of_swapping_a_page_in(client: Client) -> None:
    response = client.get("/", headers={"HX-Request": "true"}, follow_redirects=False)
    assert (response.status_code, response.headers["hx-redirect"]) == (204, "/aanmelden")


def test_the_vendored_assets_and_their_licences_are_served(client: Client) -> None:
    for path in (
        "/static/vendor/utrecht/component-library.css",
        "/static/vendor/theme/theme.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/README.md",
        "/static/vendor/htmx/LICENSE",
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("path", "page"),
    [("/", True), ("/aanmelden", True), ("/static/x.css", True), ("/api/v1/me", False), ("/schema/x", False)],
)
def test_pages_are_everything_but_the_api(path: str, page: bool) -> None:
    assert is_page(path) is page
