"""The demo as a new user meets it: `slaforge demo` builds, serves, and prints who can sign in;
each printed account then signs in in a real browser and sees exactly what its role may see."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
ACCOUNT = re.compile(r"^\s+(?P<who>.+?)\s+(?P<email>\S+@\S+)\s+password: (?P<password>\S+)$")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.sqlite_only,  # the demo always builds its own SQLite database
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium (/usr/bin/chromium) is not installed"
    ),
]
sync_api = pytest.importorskip("playwright.sync_api")


class Demo:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self.url = ""
        self.accounts: dict[str, tuple[str, str]] = {}  # who -> (email, password)

    def read_until_served(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError("the demo ended early:\n" + "".join(self.lines))
            self.lines.append(line)
            if m := re.search(r"web UI\s+(http://\S+?)/\s", line):
                self.url = m.group(1)
            elif m := ACCOUNT.match(line.rstrip("\n")):
                self.accounts[m["who"].strip()] = (m["email"], m["password"])
            elif line.startswith("press Ctrl-C"):
                break
        for _ in range(100):
            try:
                if httpx.get(f"{self.url}/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("the demo server did not become ready")


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Demo]:
    env = {**os.environ, "SLAFORGE_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "slaforge", "demo", "--synthetic", "--incidents", "300", "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    demo = Demo(proc)
    try:
        demo.read_until_served()
        yield demo
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def _sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def test_each_printed_account_signs_in_and_sees_what_its_role_may_see(demo: Demo, tmp_path: Path) -> None:
    assert "GENERATED DATA" in "".join(demo.lines)
    # Without an SMTP server the demo's e-mails are files, the signature link's among them.
    outbox = tmp_path / "demo" / "outbox"
    assert f"e-mails    {outbox} (open the .eml files; the signature link e-mail is there)\n" in demo.lines
    parse = BytesParser(policy=policy.default).parsebytes
    # The plain-text body of each (a report's e-mail also carries its file, as multipart/mixed).
    bodies = [parse(p.read_bytes()).get_body(preferencelist=("plain",)) for p in outbox.glob("*.eml")]
    texts = [b.get_content() for b in bodies if b is not None]
    assert len(texts) == len(bodies)
    assert any(f"{demo.url}/agree/" in text for text in texts)
    viewers = {who: acc for who, acc in demo.accounts.items() if who.lower().startswith("viewer")}
    managers = [acc for who, acc in demo.accounts.items() if "manager" in who.lower()]
    admins = [acc for who, acc in demo.accounts.items() if "admin" in who.lower()]
    assert len(viewers) == 2
    assert managers
    assert admins
    customers = [who.split(" of ", 1)[1] for who in viewers]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_context().new_page()
            _sign_in(page, demo.url, *managers[0])
            page.goto(f"{demo.url}/console/customers")
            listing = page.content()
            assert all(name in listing for name in customers)
            page.screenshot(path=str(ARTIFACTS / "demo-manager-customers.png"), full_page=True)
            # The admin sees every account: its own, the manager's and both customers' viewers.
            page = browser.new_context().new_page()
            _sign_in(page, demo.url, *admins[0])
            assert page.goto(f"{demo.url}/console/users").status == 200
            people = page.content()
            assert all(email in people for email, _ in demo.accounts.values())
            page.screenshot(path=str(ARTIFACTS / "demo-admin-users.png"), full_page=True)
            for who, (email, password) in viewers.items():
                mine = who.split(" of ", 1)[1]
                other = next(c for c in customers if c != mine)
                context = browser.new_context()
                page = context.new_page()
                _sign_in(page, demo.url, email, password)
                body = page.content()
                assert mine in body
                assert other not in body
                page.screenshot(
                    path=str(ARTIFACTS / f"demo-viewer-{mine.split()[0].lower()}.png"), full_page=True
                )
                assert page.goto(f"{demo.url}/console/customers").status == 404
                context.close()
        finally:
            browser.close()
