"""The production kit, live: Debian's nginx with deploy/nginx/r2p.conf and a self-signed certificate
in front of gunicorn (deploy/gunicorn.conf.py, production settings), all on loopback ports.

nginx runs from a temporary prefix with its own configuration, pid and logs: the system's
/etc/nginx and its service are never touched. Everything is stopped afterwards.
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.e2e.conftest import PASSWORD, ROOT, _free_port, _prepare_database

pytestmark = pytest.mark.live

MEMBER = "ama.mensah@example.org"
METRICS_TOKEN = "live-scrape-token-0123456789"
NGINX_MAIN = """
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
worker_processes 1;
{user}
events {{ worker_connections 64; }}
http {{
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        image/svg+xml svg;
        image/png png;
        application/json json;
    }}
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""


@dataclass
class Stack:
    https_port: int
    http_port: int
    database: Path
    app_log: Path
    cafile: Path


def _nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        pytest.fail("nginx is not installed: apt-get install nginx (.ci/run does)")
    return found


def _certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _site(app_port: int, http_port: int, https_port: int, cert: Path, key: Path) -> str:
    """deploy/nginx/r2p.conf with the test's ports, certificate and code folder."""
    site = (ROOT / "deploy" / "nginx" / "r2p.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "https://$host$request_uri": f"https://$host:{https_port}$request_uri",
        "/etc/letsencrypt/live/r2p.example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/r2p.example.org/privkey.pem": str(key),
        "/srv/r2p/app/r2p_network/static/": f"{ROOT}/r2p_network/static/",
        "server_name r2p.example.org;": "server_name 127.0.0.1 localhost;",
        # A port other than 443 must reach the application too (CSRF compares the referrer with it).
        "proxy_set_header Host $host;": f"proxy_set_header Host $host:{https_port};",
        "proxy_set_header X-Forwarded-Host $host;": f"proxy_set_header X-Forwarded-Host $host:{https_port};",
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/r2p.conf no longer contains {old!r}"
        site = site.replace(old, new)
    return site


def _wait_for(port: int, context: ssl.SSLContext | None, process: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + 40
    while time.time() < deadline:
        if process.poll() is not None:
            break
        try:
            if context is None:
                connection: http.client.HTTPConnection = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=2
                )
            else:
                connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=2, context=context)
            try:
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            finally:
                connection.close()
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"did not start on port {port}: " + log.read_text()[-2000:] if log.exists() else "")


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    nginx = _nginx()
    tmp = Path(tempfile.mkdtemp(prefix="r2p-https-"))
    processes: list[tuple[subprocess.Popen, int]] = []
    try:
        cert, key = _certificate(tmp)
        database = tmp / "site.sqlite"
        _prepare_database(f"sqlite:///{database}")
        app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
        (tmp / "metrics").mkdir()
        app_log = tmp / "app.log"
        env = {
            **os.environ,
            "R2P_CONFIG": "production",
            "SECRET_KEY": "live-https-" + "k" * 40,
            "DATABASE_URL": f"sqlite:///{database}",
            "BASE_URL": f"https://127.0.0.1:{https_port}",
            "TOTP_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "MAIL_BACKEND": "dummy",
            "TRUST_PROXY_HOPS": "1",
            "LOG_FORMAT": "json",
            "METRICS_TOKEN": METRICS_TOKEN,
            "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
            "GUNICORN_BIND": f"127.0.0.1:{app_port}",
            "GUNICORN_WORKERS": "2",
        }
        with app_log.open("wb") as log_file:
            app = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "app:app"],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        processes.append((app, signal.SIGTERM))
        _wait_for(app_port, None, app, app_log)

        (tmp / "site.conf").write_text(_site(app_port, http_port, https_port, cert, key))
        # As root (CI), nginx's workers would otherwise drop to "nobody", who cannot read the
        # temporary folder; elsewhere the directive is ignored with a warning.
        user = "user root root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp, user=user))
        config = ["-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")]
        subprocess.run([nginx, *config, "-t"], check=True, capture_output=True, timeout=30)  # noqa: S603
        server = subprocess.Popen(  # noqa: S603
            [nginx, *config, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        processes.append((server, signal.SIGQUIT))
        context = ssl.create_default_context(cafile=str(cert))
        _wait_for(https_port, context, server, tmp / "error.log")
        yield Stack(https_port, http_port, database, app_log, cert)
    finally:
        for process, sig in reversed(processes):
            _stop(process, sig)
        shutil.rmtree(tmp, ignore_errors=True)


class Browser:
    """Just enough of a browser over HTTPS: cookies, gzip, a fixed source address."""

    def __init__(self, stack: Stack, source: str = "127.0.0.1") -> None:
        self.stack = stack
        self.source = source
        self.cookies: dict[str, str] = {}
        self.context = ssl.create_default_context(cafile=str(stack.cafile))

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> tuple[http.client.HTTPResponse, str]:
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.stack.https_port,
            timeout=15,
            context=self.context,
            source_address=(self.source, 0),
        )
        sent = {"Accept-Encoding": "gzip", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return response, raw.decode("utf-8", "replace")

    def sign_in(self, email: str, password: str) -> http.client.HTTPResponse:
        from urllib.parse import urlencode

        _, page = self.request("GET", "/auth/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"', page
        )
        assert token, "no CSRF token on the sign-in page"
        form = urlencode({"csrf_token": token.group(1), "email": email, "password": password})
        response, _ = self.request(
            "POST",
            "/auth/login",
            body=form,
            headers={
                "X-Forwarded-For": "203.0.113.9",
                "Referer": f"https://127.0.0.1:{self.stack.https_port}/",
            },
        )
        return response


def test_http_redirects_to_https(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    connection.request("GET", "/auth/login?next=/account/")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{stack.https_port}/auth/login?next=/account/"


def test_https_pages_are_compressed_with_hsts_and_a_request_id(stack):
    response, page = Browser(stack).request("GET", "/auth/login")
    assert response.status == 200
    assert "csrf_token" in page
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=63072000; includeSubDomains"]
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_static_files_come_from_nginx_compressed(stack):
    response, css = Browser(stack).request("GET", "/static/css/site.css")
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert css == (ROOT / "r2p_network" / "static" / "css" / "site.css").read_text()
    assert "X-Request-ID" not in response.headers  # the application never saw it
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "max-age=604800" in response.headers["Cache-Control"]


def test_sign_in_over_https_sets_a_secure_session_cookie(stack):
    browser = Browser(stack)
    response = browser.sign_in(MEMBER, PASSWORD)
    assert response.status == 302, response.headers
    session_cookies = [
        c for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("r2p_session=")
    ]
    assert session_cookies
    attributes = {part.strip().split("=")[0].lower() for part in session_cookies[-1].split(";")}
    assert {"secure", "httponly"} <= attributes
    account, page = browser.request("GET", "/account/")
    assert account.status == 200
    assert MEMBER in page


def test_the_throttle_records_the_address_nginx_forwarded(stack):
    browser = Browser(stack, source="127.0.0.3")
    response = browser.sign_in(MEMBER, "a wrong passphrase entirely")
    assert response.status == 401  # the form again, with the error
    request_id = response.headers["X-Request-ID"]
    with sqlite3.connect(stack.database) as connection:
        keys = {
            key
            for (key,) in connection.execute("SELECT key FROM rate_limit_hit WHERE bucket = 'login.address'")
        }
    assert "127.0.0.3" in keys  # the client nginx saw, not gunicorn's peer (127.0.0.1)
    assert "203.0.113.9" not in keys  # nor what the client claimed in X-Forwarded-For
    assert "127.0.0.1" not in keys
    # The JSON access log has the same request id and client.
    deadline = time.time() + 5
    while time.time() < deadline:
        lines = [json.loads(line) for line in stack.app_log.read_text().splitlines() if line.startswith("{")]
        matching = [line for line in lines if line.get("request_id") == request_id and "status" in line]
        if matching:
            break
        time.sleep(0.2)
    assert matching, "no access log line with the response's request id"
    assert matching[0]["client"] == "127.0.0.3"
    assert matching[0]["path"] == "/auth/login" and matching[0]["method"] == "POST"


def test_metrics_through_nginx_need_the_token(stack):
    browser = Browser(stack)
    assert browser.request("GET", "/metrics")[0].status == 404
    response, body = browser.request("GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status == 200
    assert "r2p_http_requests_total" in body
