"""The Content-Security-Policy really stops an injected inline script in a real browser."""

from __future__ import annotations

import pytest
from flask import render_template_string

from r2p_network import create_app
from r2p_network.extensions import db
from r2p_network.permissions import public
from r2p_network.reference import load_reference_data
from tests.e2e.conftest import serve

pytestmark = pytest.mark.browser

PROBE = """<!doctype html><html><head><title>probe</title></head><body>
<p>{{ comment }}</p>
<script nonce="{{ csp_nonce() }}">window.allowed = true;</script>
</body></html>"""


@pytest.fixture(scope="module")
def base_url():
    app = create_app("testing")
    with app.app_context():
        db.create_all()
        load_reference_data(db.session)
        db.session.commit()

    @app.route("/csp-probe")
    @public
    def probe():
        # Simulates a template bug that lets a stored payload through unescaped.
        payload = '<script>window.injected = true;</script><img src=x onerror="window.injected=true">'
        return render_template_string(PROBE.replace("{{ comment }}", payload))

    yield from serve(app)


def test_injected_inline_script_is_blocked(browser, base_url):
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(f"{base_url}/csp-probe")
    page.wait_for_load_state("load")
    assert page.evaluate("window.allowed === true"), "the script with the nonce runs"
    assert page.evaluate("window.injected === undefined"), "the injected script must not run"
    assert any("Content Security Policy" in text for text in violations)
    page.close()


def test_real_pages_run_without_csp_violations(browser, base_url):
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    for path in ("/", "/auth/login", "/auth/register", "/network"):
        response = page.goto(f"{base_url}{path}")
        assert response.status == 200, path
    assert not [v for v in violations if "Content Security Policy" in v]
    page.close()
