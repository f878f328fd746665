"""Pages and static files travel compressed; static files have fingerprinted, long-cached names."""

from __future__ import annotations

import gzip
import re

from r2p_network.core.delivery import IMMUTABLE

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_pages_are_gzipped_for_browsers_that_accept_it(client):
    plain = client.get("/regions/")
    packed = client.get("/regions/", headers=GZIP)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3


def test_small_answers_and_errors_are_sent_as_they_are(client):
    missing = client.get("/regions/m49/999", headers=GZIP)
    assert missing.status_code == 404 and "Content-Encoding" not in missing.headers
    health = client.get("/healthz", headers=GZIP)
    assert "Content-Encoding" not in health.headers


def test_static_files_have_fingerprinted_names_cached_for_a_year(client):
    urls = _static_urls(client.get("/").get_data(as_text=True))
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), url
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200 and response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["Content-Encoding"] == "gzip"
        plain_name = re.sub(r"\.[0-9a-f]{12}\.", ".", url)
        plain = client.get(plain_name)
        assert gzip.decompress(response.data) == plain.data
        assert "immutable" not in plain.headers["Cache-Control"]


def test_a_stale_fingerprint_gets_the_current_file_briefly_cached(client):
    response = client.get("/static/css/site.000000000000.css")
    assert response.status_code == 200 and "immutable" not in response.headers["Cache-Control"]
    assert client.get("/static/css/nothing.000000000000.css").status_code == 404


def test_static_files_stay_cacheable_for_members(member_client):
    url = _static_urls(member_client.get("/").get_data(as_text=True))[0]
    assert member_client.get(url).headers["Cache-Control"] == IMMUTABLE
    assert member_client.get("/").headers["Cache-Control"] == "no-store"


def test_streamed_exports_are_not_buffered(member_client):
    response = member_client.get("/capacity/export.csv", headers=GZIP)
    assert response.status_code == 200 and "Content-Encoding" not in response.headers


def test_the_africa_page_is_under_60_kb_transferred(member_client):
    """The regional page of Africa with its map, stylesheet and script, as a member sees it."""
    page = member_client.get("/regions/m49/002", headers=GZIP)
    assert page.headers["Content-Encoding"] == "gzip"
    total = len(page.data)
    for url in _static_urls(gzip.decompress(page.data).decode()):
        total += len(member_client.get(url, headers=GZIP).data)
    assert total < 60_000, total
