"""The portal over HTTP as staff use it (issue 13, ``manage.py bench_http``).

gunicorn with production settings (DEBUG off, config/gunicorn.py) on the
benchmark database; two real sign-ins through the sign-in form (hub counter
staff and a partner clerk); a mix of pages driven by wrk with a generated
Lua script (home, case list, filtered list, name searches, case pages,
client pages, intake GET and POST), at several connection counts.  wrk
reports throughput and the latency distribution; the script counts
statuses: a 4xx/5xx, a socket error or a redirect to the sign-in page is an
error.  Production runs behind a TLS proxy: the load sends
``X-Forwarded-Proto: https`` (SECURE_PROXY_SSL_HEADER) and an ``Origin``.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from consult.models import Case, Language, Topic
from municipalities.models import Desk

HUB_USER = "staff-332020"
CLERK_USER = "clerk-332071"

# (weight, kind) of the mix: what a desk does on a busy morning — mostly
# reading cases and lists, some searching, a few consultations logged.
MIX = (
    (10, "home"),
    (20, "list"),
    (10, "filtered"),
    (15, "search"),
    (25, "case"),
    (10, "client"),
    (5, "intake_get"),
    (5, "intake_post"),
)


@dataclass
class Session:
    username: str
    cookie: str = ""
    csrf: str = ""
    desk_id: int = 0
    paths: dict[str, list[str]] = field(default_factory=dict)
    post_body: str = ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with config/gunicorn.py and production settings."""

    def __init__(self, *, port: int, workers: int | None, threads: int | None, env: dict, log: Path):
        self.port = port
        command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
        run_env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        if workers:
            run_env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            run_env["GUNICORN_THREADS"] = str(threads)
        self.log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=run_env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                status, _, _ = request(self.port, "GET", "/accounts/login/")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


def collectstatic(env: dict) -> None:
    """The manifest the production static storage needs (the Docker image
    runs this at build time)."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env={**os.environ, **env},
        check=True,
    )


def _headers(port: int, cookie: str = "") -> dict:
    headers = {"X-Forwarded-Proto": "https", "Origin": f"https://127.0.0.1:{port}", "Host": f"127.0.0.1:{port}"}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def request(port: int, method: str, path: str, *, cookie: str = "", body: str = "") -> tuple[int, dict, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = _headers(port, cookie)
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body.encode() if body else None, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key.strip()] = rest.split(";", 1)[0]
    conn.close()
    return response.status, {"location": response.getheader("Location", ""), "cookies": cookies}, text


def sign_in(port: int, username: str, password: str) -> Session:
    """The real sign-in form: GET (CSRF cookie), POST (session cookie)."""
    status, meta, page = request(port, "GET", "/accounts/login/")
    csrf = meta["cookies"].get("csrftoken", "")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not csrf or not match:
        raise RuntimeError(f"sign-in page: status {status}")
    from urllib.parse import urlencode

    body = urlencode({"csrfmiddlewaretoken": match.group(1), "login": username, "password": password})
    status, meta, _ = request(port, "POST", "/accounts/login/", cookie=f"csrftoken={csrf}", body=body)
    session = meta["cookies"].get("sessionid", "")
    csrf = meta["cookies"].get("csrftoken", csrf)  # rotated at sign-in
    if status != 302 or not session:
        raise RuntimeError(f"sign-in of {username} failed: status {status}, location {meta['location']!r}")
    return Session(username=username, cookie=f"sessionid={session}; csrftoken={csrf}", csrf=csrf)


def _sample_cases(user, rng: random.Random, n: int) -> list[tuple[int, int]]:
    """(case id, client id) of n cases `user` can open, spread over the table."""
    visible = Case.objects.visible_to(user).exclude(client_id=None)
    bounds = Case.objects.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first() or 0, bounds.last() or 0
    rows: list[tuple[int, int]] = []
    for _ in range(n * 3):
        if len(rows) >= n:
            break
        start = rng.randint(low, high)
        row = visible.filter(pk__gte=start).order_by("pk").values_list("pk", "client_id").first()
        if row:
            rows.append(row)
    return rows


def _search_terms(case_ids: list[int]) -> list[str]:
    """Name parts of real (synthetic) clients: surname, given name, Latin."""
    terms = []
    for name, latin in Case.objects.filter(pk__in=case_ids).values_list("client__name", "client__name_latin"):
        parts = (name or "").replace("・", " ").split()
        if parts:
            terms.append(parts[0])
        if latin:
            terms.append(latin.split()[0].lower())
    return sorted(set(terms)) or ["田中"]


def prepare(session: Session, user, rng: random.Random, samples: int = 150) -> None:
    from urllib.parse import quote, urlencode

    rows = _sample_cases(user, rng, samples)
    desk = Desk.objects.filter(memberships__user=user).first() or Desk.objects.filter(is_hub=True).first()
    session.desk_id = desk.pk
    languages = list(Language.objects.filter(active=True).values_list("pk", flat=True)[:8])
    topics = list(Topic.objects.filter(active=True, parent=None).values_list("pk", flat=True)[:8])
    filtered = [f"/cases/?status=active&desk={desk.pk}", "/cases/?overdue=on", "/cases/?sort=opened"]
    filtered += [f"/cases/?language={pk}" for pk in languages[:3]] + [f"/cases/?topic={pk}" for pk in topics[:3]]
    session.paths = {
        "home": ["/"],
        "list": ["/cases/"],
        "filtered": filtered,
        "search": [f"/cases/?q={quote(term)}" for term in _search_terms([r[0] for r in rows])[:60]],
        "case": [f"/cases/{pk}/" for pk, _ in rows],
        "client": [f"/clients/{client_id}/" for _, client_id in rows],
        "intake_get": ["/consultations/new/"],
        "intake_post": ["/consultations/new/"],
    }
    language = Language.objects.get(code="vi").pk
    topic_ids = list(
        Topic.objects.filter(code__in=["residency.extension", "tax.resident"]).values_list("pk", flat=True)
    )
    fields = [
        ("csrfmiddlewaretoken", session.csrf),
        ("desk", desk.pk),
        ("language", language),
        ("channel", "phone"),
        ("interpretation_mode", "bilingual"),
        *[("topics", pk) for pk in topic_ids],
        ("notes", "在留期間更新の必要書類を案内（負荷試験）"),
        ("actions", "information"),
        ("minutes", "10"),
        ("outcome", "resolved"),
        ("occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M")),
        ("client_choice", ""),
        ("q", ""),
        # Every POST looks like the previous one (same person, same notes):
        # answer the "logged a minute ago — save again?" question up front.
        ("confirm_duplicate", "1"),
    ]
    session.post_body = urlencode(fields)


def check_paths(port: int, session: Session) -> list[str]:
    """Every kind once before the load: a broken mix must not look fast."""
    problems = []
    for kind, paths in session.paths.items():
        path = paths[0]
        if kind == "intake_post":
            body = session.post_body + f"&intake_token={uuid.uuid4()}"
            status, meta, _ = request(port, "POST", path, cookie=session.cookie, body=body)
            ok = status == 302 and "/accounts/login" not in meta["location"]
        else:
            status, meta, _ = request(port, "GET", path, cookie=session.cookie)
            ok = status == 200
        if not ok:
            problems.append(f"{session.username} {kind} {path}: {status} {meta['location']}")
    return problems


def _lua_list(items: list[str]) -> str:
    return "{" + ",".join(json.dumps(item, ensure_ascii=False) for item in items) + "}"


def lua_script(port: int, sessions: list[Session], weights: list[int]) -> str:
    """wrk script: each request picks a user (by `weights`) and a kind of page
    (by MIX); a POST carries a fresh intake token; response() counts errors."""
    kinds = [kind for weight, kind in MIX for _ in range(weight)]
    users = []
    for session in sessions:
        paths = ",".join(f"{kind}={_lua_list(paths)}" for kind, paths in session.paths.items())
        cookie, body = json.dumps(session.cookie), json.dumps(session.post_body, ensure_ascii=False)
        users.append(f"{{cookie={cookie}, body={body}, paths={{{paths}}}}}")
    user_pick = [i for i, w in enumerate(weights) for _ in range(w)]
    return f"""
local users = {{{",".join(users)}}}
local kinds = {_lua_list(kinds)}
local user_pick = {{{",".join(str(i + 1) for i in user_pick)}}}
local origin = "https://127.0.0.1:{port}"
local counter = 0
local threads = {{}}
ok, bad, login, socketerr = 0, 0, 0, 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  math.randomseed(os.time() + id * 7919)
end

local function uuid()
  return string.format("%08x-%04x-4%03x-a%03x-%06x%06x", math.random(0, 0x7fffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffff), math.random(0, 0xffffff))
end

function request()
  local u = users[user_pick[math.random(#user_pick)]]
  local kind = kinds[math.random(#kinds)]
  local list = u.paths[kind]
  local path = list[math.random(#list)]
  local headers = {{["Cookie"] = u.cookie, ["X-Forwarded-Proto"] = "https", ["Origin"] = origin}}
  if kind == "intake_post" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", path, headers, u.body .. "&intake_token=" .. uuid())
  end
  return wrk.format("GET", path, headers, nil)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status >= 400 then
    bad = bad + 1
  elseif status >= 300 and string.find(location, "/accounts/login", 1, true) then
    login = login + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local tok, tbad, tlogin = 0, 0, 0
  for _, t in ipairs(threads) do
    tok = tok + t:get("ok")
    tbad = tbad + t:get("bad")
    tlogin = tlogin + t:get("login")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT {{\\"requests\\": %d, \\"seconds\\": %.3f, \\"p50\\": %.1f, \\"p95\\": %.1f, \\"p99\\": %.1f, " ..
    "\\"max\\": %.1f, \\"ok\\": %d, \\"http_errors\\": %d, \\"signed_out\\": %d, \\"socket_errors\\": %d, " ..
    "\\"timeouts\\": %d}}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, tok, tbad, tlogin,
    e.connect + e.read + e.write, e.timeout))
end
"""


def run_wrk(port: int, script: Path, *, connections: int, seconds: int, threads: int = 2) -> dict:
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed (apt-get install wrk)")
    command = [
        wrk, f"-t{min(threads, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
        "--latency", "-s", str(script), f"http://127.0.0.1:{port}/",
    ]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (\{.*\})$", out, re.MULTILINE)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / result["seconds"] if result["seconds"] else 0.0
    result["errors"] = result["http_errors"] + result["signed_out"] + result["socket_errors"] + result["timeouts"]
    return result


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_seconds(server_pid: int) -> dict[str, float] | None:
    """CPU seconds (user + system) used so far by gunicorn (the master and
    its workers) and by PostgreSQL's processes on this machine, read from
    /proc; None where there is no /proc.  Differences over a level, divided
    by its requests, give CPU per request: a figure that drifts less than
    requests/s when other work shares the cores."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    used = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        # "pid (comm) state ppid … utime stime …": comm may hold spaces.
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, seconds = int(fields[1]), (int(fields[11]) + int(fields[12])) / tick
        if int(entry.name) == server_pid or ppid == server_pid:
            used["gunicorn"] += seconds
        elif comm == "postgres":
            used["postgres"] += seconds
    return used


def write_script(port: int, sessions: list[Session], weights: list[int]) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8")  # noqa: SIM115
    handle.write(lua_script(port, sessions, weights))
    handle.close()
    return Path(handle.name)
