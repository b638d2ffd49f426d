#!/usr/bin/env python
"""Scan a running Madoguchi with wapiti3, signed in as a staff member
(issue 12 point 12; docs/decisions/0017-app-role-fuzzing-and-scanning.md).

    python scripts/scan.py --url http://127.0.0.1:8000/ --user staff-332020 --password … \
        [--max-scan-time 300] [--report data/scan/report.json]

wapiti3 lives in a virtualenv of its own (it pins its own versions of httpx
and friends): $WAPITI_VENV, default ~/.cache/madoguchi/wapiti-<version>,
created with the pinned version of requirements-scan.txt when missing —
never the application's .venv.

Signs in through the real sign-in form (so the account must not need a
second factor: counter staff by default), then runs the attack modules that
need no outside endpoint (the network is closed) within a time bound,
excluding sign-out and the account pages that would end or change the
scanning session.  Prints a summary by category and level and exits 1 when
anything of high or critical level was found, 0 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = ROOT / "requirements-scan.txt"
# Attack modules that work on a closed network (ssrf, xxe and log4shell
# need wapiti's outside endpoint; ssl needs TLS, which the proxy terminates).
MODULES = "exec,file,sql,xss,permanentxss,redirect,crlf,csrf,methods,upload,backup,htaccess,ldap"
# Never followed: sign-out, and allauth's own account pages (password, e-mail,
# MFA, sessions), which would end or change the session the scan runs in.
EXCLUDE = ("accounts/logout/", "accounts/*", "admin/logout/")
# wapiti's levels (wapitiCore.net.classes / report): 1 low, 2 medium, 3 high, 4 critical.
HIGH = 3
LEVELS = {0: "info", 1: "low", 2: "medium", 3: "high", 4: "critical"}


def log(message: str) -> None:
    print(f"[scan] {message}", flush=True)


def wapiti_version() -> str:
    match = re.search(r"^wapiti3==([\w.]+)", REQUIREMENTS.read_text(), re.MULTILINE)
    assert match, f"{REQUIREMENTS} pins no wapiti3"
    return match.group(1)


def ensure_wapiti() -> Path:
    """The wapiti executable of its own virtualenv, installed if missing."""
    version = wapiti_version()
    venv = Path(os.environ.get("WAPITI_VENV") or Path.home() / ".cache" / "madoguchi" / f"wapiti-{version}")
    wapiti = venv / "bin" / "wapiti"
    if wapiti.exists():
        return wapiti
    log(f"installing wapiti3 {version} into {venv}")
    venv.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)],
        check=True,
    )
    return wapiti


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def sign_in(url: str, user: str, password: str) -> dict[str, str]:
    """Session and CSRF cookies from the real sign-in form.  (The production
    cookies are Secure; this speaks plain HTTP to a local server, so it keeps
    them itself instead of through a cookie jar.)"""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not token or "csrftoken" not in cookies:
        raise SystemExit(f"sign-in page: {response.status}, no CSRF token")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "login": user, "password": password})
    connection.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
            "Referer": url.rstrip("/") + "/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    cookies.update(_cookies(response))
    if response.status != 302 or "sessionid" not in cookies or "/accounts/" in response.headers.get("Location", ""):
        raise SystemExit(f"sign-in as {user} failed: {response.status} → {response.headers.get('Location')}")
    signed_in = {name: cookies[name] for name in ("sessionid", "csrftoken")}
    connection.request("GET", "/", headers={"Cookie": "; ".join(f"{k}={v}" for k, v in signed_in.items())})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"signed in as {user}, but the home page answers {response.status} → {response.headers}")
    return signed_in


def summarise(report: dict) -> tuple[list[str], int]:
    """(lines of the summary, number of findings at high level or above)."""
    lines, high = [], 0
    info = report.get("infos", {})
    lines.append(
        f"target {info.get('target')}  scope {info.get('scope')}  crawled {info.get('crawled_pages_nbr')} pages"
    )
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, findings in sorted(report.get(section, {}).items()):
            if not findings:
                continue
            by_level: dict[int, int] = {}
            for finding in findings:
                by_level[finding.get("level", 0)] = by_level.get(finding.get("level", 0), 0) + 1
                if section == "vulnerabilities" and finding.get("level", 0) >= HIGH:
                    high += 1
                    lines.append(
                        f"  HIGH {category}: {finding.get('method')} {finding.get('path')} {finding.get('info')}"
                    )
            counts = ", ".join(f"{n} {LEVELS.get(level, level)}" for level, n in sorted(by_level.items()))
            lines.append(f"{section[:-1]}: {category}: {counts}")
    if len(lines) == 1:
        lines.append("no findings")
    return lines, high


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="base URL of the running portal, e.g. http://127.0.0.1:8000/")
    parser.add_argument("--user", default="staff-332020")
    parser.add_argument("--password", default=os.environ.get("DEMO_PASSWORD", "madoguchi-demo-2026"))
    parser.add_argument("--max-scan-time", type=float, default=300, help="seconds for the whole scan")
    parser.add_argument("--max-attack-time", type=float, default=60, help="seconds per attack module")
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--modules", default=MODULES)
    parser.add_argument("--report", type=Path, default=ROOT / "data" / "scan" / "report.json")
    args = parser.parse_args(argv)

    wapiti = ensure_wapiti()
    base = args.url.rstrip("/") + "/"
    cookies = sign_in(base, args.user, args.password)
    log(f"signed in as {args.user}")
    args.report.parent.mkdir(parents=True, exist_ok=True)
    session_dir = args.report.parent / "wapiti-session"
    command = [
        str(wapiti),
        "--url", base, "--scope", "folder", "--module", args.modules,
        # (Not --drop-set-cookie: it drops these too.  The server's Secure
        # cookies are not taken over plain HTTP, so these stay.)
        "--cookie-value", "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "--depth", str(args.depth), "--max-scan-time", str(args.max_scan_time),
        "--max-attack-time", str(args.max_attack_time), "--max-links-per-page", "40",
        "--tasks", "4", "--timeout", "20", "--no-bugreport", "--flush-session",
        "--store-session", str(session_dir), "--store-config", str(session_dir),
        "--format", "json", "--output", str(args.report), "--verbose", "0",
    ]  # fmt: skip
    for pattern in EXCLUDE:
        command += ["--exclude", base + pattern]
    log(f"wapiti: modules {args.modules}; at most {args.max_scan_time:.0f} s")
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if result.returncode != 0 or not args.report.exists():
        print(result.stdout[-3000:], result.stderr[-3000:], sep="\n")
        log(f"wapiti failed ({result.returncode})")
        return 2
    lines, high = summarise(json.loads(args.report.read_text()))
    for line in lines:
        print(line)
    log(f"{high} finding(s) of high or critical level; report: {args.report}")
    return 1 if high else 0


if __name__ == "__main__":
    sys.exit(main())
