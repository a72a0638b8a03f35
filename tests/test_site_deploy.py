"""deploy/site: a published folder through nginx: caching, precompression, the CSP, and the viewer under it."""

from __future__ import annotations

import contextlib
import gzip
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from tests.browserkit import N_DISTRICTS, Witness
from tests.sitekit import publish, running_site, static_server

IMMUTABLE = "public, max-age=31536000, immutable"
HASHED = re.compile(r"\.[0-9a-f]{12}\.[a-z0-9]+$")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published") / "site"
    publish(out, tmp_path_factory.mktemp("site-cache"), "--precompress")
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with running_site(site) as base:
        yield base


class NoRedirect(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):  # every status as it is, 304 and 404 included
        return response


OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirect)


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    with OPENER.open(urllib.request.Request(url, headers=headers), timeout=30) as resp:
        return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def csp(headers: dict[str, str]) -> dict[str, list[str]]:
    out = {}
    for part in headers["content-security-policy"].split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def test_entry_pages_and_data_are_revalidated_with_an_etag(server):
    for path in ("", "index.html", "methodology.html", "data/datapackage.json", "data/control.csv"):
        status, headers, _ = get(server + path)
        assert status == 200, path
        assert headers["cache-control"] == "no-cache", path
        etag = headers["etag"]
        status, _, body = get(server + path, **{"If-None-Match": etag})
        assert status == 304 and body == b"", path
    assert get(server + "data/control.csv")[1]["content-type"] == "text/csv; charset=utf-8"
    assert get(server + "data/boundaries.geojson")[1]["content-type"].startswith("application/geo+json")


def test_hashed_assets_are_cached_forever(site, server):
    assets = [p for p in (site / "assets").rglob("*") if p.is_file() and p.suffix not in (".br", ".gz")]
    assert assets and all(HASHED.search(p.name) for p in assets), [p.name for p in assets if not HASHED.search(p.name)]
    for path in assets[:20]:
        status, headers, _ = get(server + path.relative_to(site).as_posix())
        assert status == 200 and headers["cache-control"] == IMMUTABLE, path


@pytest.mark.parametrize("path", ["index.html", "data/claims.csv", "data/boundaries.geojson"])
def test_text_is_sent_precompressed_brotli_or_gzip(site, server, path):
    raw = (site / path).read_bytes()
    status, headers, body = get(server + path, **{"Accept-Encoding": "br, gzip"})
    assert status == 200 and headers["content-encoding"] == "br" and brotli.decompress(body) == raw
    assert body == (site / (path + ".br")).read_bytes()  # the file written at publish, not compressed again
    assert "accept-encoding" in headers["vary"].lower()
    status, headers, body = get(server + path, **{"Accept-Encoding": "gzip"})
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == raw
    status, headers, body = get(server + path)
    assert "content-encoding" not in headers and body == raw


def test_the_compressed_copies_are_not_served_on_their_own(server):
    assert get(server + "index.html.br")[0] == 404
    assert get(server + "index.html.gz")[0] == 404


def test_the_csp_allows_nothing_from_outside_and_any_page_may_embed(server):
    _, headers, _ = get(server)
    policy = csp(headers)
    assert policy["default-src"] == ["'self'"] and policy["script-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["*"] and "x-frame-options" not in headers
    assert not [v for values in policy.values() for v in values if "://" in v or v in ("*.", "https:", "http:")]
    assert headers["x-content-type-options"] == "nosniff"
    status, headers, _ = get(server + "no-such-file")
    assert status == 404 and "content-security-policy" in headers


def open_styled(frame, timeout: float = 60_000) -> None:
    frame.wait_for_function(
        "n => document.documentElement.dataset.ready === '1' && "
        "document.querySelectorAll('[data-pcode][data-controller]').length >= n",
        arg=N_DISTRICTS,
        timeout=timeout,
    )


@pytest.mark.parametrize("embedded", [False, True], ids=["page", "sandboxed-iframe"])
def test_the_viewer_works_under_the_csp_with_nothing_blocked(server, browser, embedded, tmp_path):
    with contextlib.ExitStack() as stack:
        ours = {urlsplit(server).netloc}
        if embedded:
            # A newsroom's article on another origin, served on loopback by a plain server without
            # this site's CSP (Chromium lets only a local page frame a loopback address).
            story = tmp_path / "story"
            story.mkdir()
            (story / "index.html").write_text(
                f'<!doctype html><p>story</p><iframe id="m" src="{server}?embed=1" width="800" height="600" '
                'sandbox="allow-scripts allow-popups"></iframe>'
            )
            newsroom = stack.enter_context(static_server(story))
            ours.add(urlsplit(newsroom).netloc)
        context = stack.enter_context(contextlib.closing(browser.new_context(service_workers="block")))
        offsite: list[str] = []

        def elsewhere(route) -> None:
            offsite.append(route.request.url)
            route.abort()

        context.route(
            lambda url: urlsplit(url).scheme.startswith("http") and urlsplit(url).netloc not in ours, elsewhere
        )
        page = context.new_page()
        witness = Witness(page)
        page.goto(newsroom if embedded else server)
        frame = page.locator("#m").element_handle().content_frame() if embedded else page.main_frame
        open_styled(frame)
        pcode = frame.eval_on_selector("[data-pcode][data-controller]", "e => e.dataset.pcode")
        frame.locator(f'[data-pcode="{pcode}"]').first.dispatch_event("click")
        frame.wait_for_function("p => (document.documentElement.dataset.ledger || '').startsWith(p + '@')", arg=pcode)
        blocked = [line for line in witness.console if "Content Security Policy" in line or "Refused" in line]
        assert blocked == [] and witness.errors == [] and offsite == []
