"""Load on the production web server: a trivial view, a full ECR-R submission, a result page.

Run from the repository root:

    .venv/bin/python benchmarks/web_load.py [--clients 16] [--seconds 10] [--workers N]
    .venv/bin/python benchmarks/web_load.py --profile        # also profile the result view

This is a measurement, not a test: it exits 0 whenever it finishes, and prints "TARGET MISSED"
lines when a target is not met. The target (SQLite, --clients concurrent clients): the result
page ``/assessments/<id>/`` at p99 < 50 ms, on Django's own session engine and authentication
backend. Throughput relative to the ``/healthz`` baseline is printed for comparison (an earlier
target of "within 3x" was withdrawn with the hand-written SQL it had needed).

What runs: a temporary SAFEBASE_DATA_DIR with SAFEBASE_ENV=production, a random
SAFEBASE_SECRET_KEY, SAFEBASE_ALLOWED_HOSTS=127.0.0.1,localhost and SAFEBASE_SSL_REDIRECT=0;
migrate and collectstatic in this process, then gunicorn started exactly as
``safebase serve --production`` starts it, on a free loopback port. Each client is its own process
(no shared GIL) with one http.client connection, and signs in once through its own one-time link
``/auth/token/<token>/``. Production marks the session and CSRF cookies Secure, which a standard
client would not send over http, so the clients keep cookies themselves from Set-Cookie and send
the Cookie header; POSTs carry X-CSRFToken (Django checks the Referer only on https).
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import io
import math
import multiprocessing as mp
import os
import platform
import pstats
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from safebase.web.serving import default_workers, gunicorn_command  # noqa: E402

INSTRUMENT = "ecr-r"
HOST = "127.0.0.1"
RESULT_P99_TARGET_MS = 50.0
PAGE_RE = re.compile(r"/assessments/(\d+)/page/(\d+)/$")
RESULT_RE = re.compile(r"/assessments/(\d+)/$")


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_env(data_dir: Path) -> dict[str, str]:
    return {
        "SAFEBASE_DATA_DIR": str(data_dir),
        "SAFEBASE_ENV": "production",
        "SAFEBASE_SECRET_KEY": secrets.token_urlsafe(50),
        "SAFEBASE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SAFEBASE_SSL_REDIRECT": "0",
        # A variant settings module can be compared by exporting DJANGO_SETTINGS_MODULE.
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "safebase.web.settings"),
    }


def wait_for_health(proc: subprocess.Popen, port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            body = resp.read()
            conn.close()
            if resp.status == 200 and body == b"ok":
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"/healthz did not answer within {timeout:.0f}s")


def stop_server(proc: subprocess.Popen | None) -> None:
    """SIGTERM to the gunicorn master (it stops its workers); SIGKILL its group if it hangs."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the group of the server this script started
        proc.wait(timeout=5)


# --------------------------------------------------------------------------- data and sign-in


def prepare_data(n_clients: int, users: str, seed: int) -> tuple[list, list[int], list[list[str]]]:
    """Migrate, collectstatic, one user per client (or the local owner), a completed result each.

    Returns (user per client, result id per client, item keys per questionnaire page)."""
    from safebase.web.bootstrap import setup_django

    setup_django()  # migrates
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from safebase.core.instrument import get_instrument
    from safebase.web.assessments import services
    from safebase.web.assessments.paging import pages_for

    call_command("collectstatic", interactive=False, verbosity=0)
    inst = get_instrument(INSTRUMENT)
    rng = random.Random(seed)
    owner = services.local_owner()
    people = []
    for i in range(n_clients):
        if users == "local":
            people.append(owner)
            continue
        user = get_user_model().objects.create(username=f"bench-{i:03d}")
        user.set_unusable_password()
        user.save(update_fields=["password"])
        people.append(user)
    result_ids: dict[int, int] = {}
    for user in people:
        if user.pk not in result_ids:
            answers = {k: rng.randint(1, 7) for k in inst.item_keys}
            a = services.record_assessment(owner=user, instrument_id=inst.id, answers=answers)
            result_ids[user.pk] = a.pk
    pages = [[item.key for item in page] for page in pages_for(inst)]
    return people, [result_ids[u.pk] for u in people], pages


def issue_tokens(people: list) -> list[str]:
    from safebase.web.accounts.services import issue_sign_in_token

    return [issue_sign_in_token(user=u) for u in people]


class Client:
    """One http.client connection (re-opened when gunicorn closes it) and a cookie jar that
    keeps Secure cookies too: production sets Secure, and this client speaks plain http."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": f"{HOST}", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urlencode(form or {})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            raise
        for raw in resp.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(raw)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if resp.will_close:
            self.conn.close()
        return resp.status, resp.getheader("Location", ""), data

    def close(self) -> None:
        self.conn.close()


def sign_in(port: int, token: str) -> dict[str, str]:
    c = Client(port)
    c.request("GET", f"/auth/token/{token}/")  # the "Sign in" button's page sets csrftoken
    status, location, _ = c.request("POST", f"/auth/token/{token}/")
    if status != 302 or "sessionid" not in c.cookies:
        raise RuntimeError(f"sign-in link answered {status} (location {location!r}), no session")
    status, _, _ = c.request("GET", "/")  # home renders a form, so csrftoken is set if missing
    if status != 200 or "csrftoken" not in c.cookies:
        raise RuntimeError(f"home page after sign-in answered {status} without a csrftoken")
    c.close()
    return c.cookies


# --------------------------------------------------------------------------- the load clients


def run_client(job: dict) -> dict:
    """One client: wait for the common start, run the scenario until the end time.

    Returns latencies (seconds) of requests that completed inside the measured window, per step,
    plus whole-submission times for the submission scenario, and what went wrong."""
    scenario = job["scenario"]
    c = Client(job["port"], job["cookies"])
    rng = random.Random(job["seed"])
    t_measure, t_end = job["t_measure"], job["t_end"]
    lat: dict[str, list[float]] = {}
    warm: list[float] = []
    submissions: list[float] = []
    errors: list[str] = []

    def timed(step: str, method: str, path: str, form: dict | None = None):
        t0 = time.perf_counter()
        out = c.request(method, path, form)
        t1 = time.perf_counter()
        if t1 >= t_measure and t1 <= t_end:
            lat.setdefault(step, []).append(t1 - t0)
        elif t1 < t_measure:
            warm.append(t1 - t0)
        return out

    def submit() -> None:
        t0 = time.perf_counter()
        status, loc, _ = timed("start", "POST", f"/assessments/start/{INSTRUMENT}/", {})
        m = PAGE_RE.search(loc)
        if status != 302 or not m:
            raise RuntimeError(f"start: {status} {loc!r}")
        pk, page = int(m.group(1)), int(m.group(2))
        if page != 1:  # an in-progress one was resumed (a collision, or an earlier failure)
            errors.append(f"start resumed at page {page}")
        pages = job["pages"]
        while True:
            last = page == len(pages)
            form = {f"item_{k}": str(rng.randint(1, 7)) for k in pages[page - 1]}
            form["action"] = "finish" if last else "next"
            status, loc, _ = timed(
                "finish" if last else "page", "POST", f"/assessments/{pk}/page/{page}/", form
            )
            if status != 302:
                raise RuntimeError(f"page {page}: {status}")
            if last:
                if RESULT_RE.search(loc) is None:
                    raise RuntimeError(f"finish redirected to {loc!r}")
                break
            m = PAGE_RE.search(loc)
            if not m or int(m.group(2)) != page + 1:
                raise RuntimeError(f"page {page} redirected to {loc!r}")
            page += 1
        t1 = time.perf_counter()
        if t_measure <= t1 <= t_end and t0 >= t_measure:
            submissions.append(t1 - t0)

    while time.monotonic() < job["t_start"]:
        time.sleep(0.001)
    while time.monotonic() < t_end:
        try:
            if scenario == "baseline":
                status, _, body = timed("healthz", "GET", "/healthz")
                if status != 200 or body != b"ok":
                    errors.append(f"/healthz: {status}")
            elif scenario.startswith("result"):
                status, _, body = timed("result", "GET", f"/assessments/{job['result_id']}/")
                if status != 200 or b"<svg" not in body:
                    errors.append(f"result page: {status}")
            else:
                submit()
        except Exception as exc:  # counted and reported, the run goes on
            errors.append(f"{type(exc).__name__}: {exc}")
    c.close()
    return {"lat": lat, "warm": warm, "submissions": submissions, "errors": errors}


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


def run_scenario(pool, scenario: str, port: int, sessions, result_ids, pages, args) -> dict:
    now = time.monotonic()
    t_start = now + 0.5  # every client is waiting before the clock starts
    t_measure = t_start + args.warmup
    t_end = t_measure + args.seconds
    jobs = [
        {
            "scenario": scenario,
            "port": port,
            "cookies": sessions[i],
            "result_id": result_ids[i],
            "pages": pages,
            "seed": args.seed * 1000 + i,
            "t_start": t_start,
            "t_measure": t_measure,
            "t_end": t_end,
        }
        for i in range(args.clients)
    ]
    outs = pool.map(run_client, jobs, chunksize=1)
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    warm: list[float] = []
    subs: list[float] = []
    for o in outs:
        for step, v in o["lat"].items():
            lat.setdefault(step, []).extend(v)
        errors += o["errors"]
        warm += o["warm"]
        subs += o["submissions"]
    every = [x for v in lat.values() for x in v]
    return {
        "scenario": scenario,
        "seconds": args.seconds,
        "lat": lat,
        "all": every,
        "rps": len(every) / args.seconds,
        "errors": errors,
        "warm": warm,
        "submissions": subs,
    }


# --------------------------------------------------------------------------- profile


def profile_result_view(user, result_id: int, n: int) -> None:
    """In this process, through Django's test client (full middleware stack, same settings and
    database): a cold hit, warm timings, a breakdown of the view's parts and a cProfile."""
    from django.core.cache import cache
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import Client as DjangoClient

    from safebase.core.profile import build_profile
    from safebase.web import charts
    from safebase.web.assessments import views
    from safebase.web.assessments.models import Assessment

    dc = DjangoClient(HTTP_HOST=HOST)
    dc.force_login(user)
    path = f"/assessments/{result_id}/"
    cache.clear()

    def hit() -> float:
        t0 = time.perf_counter()
        r = dc.get(path)
        assert r.status_code == 200, r.status_code
        return time.perf_counter() - t0

    cold = hit()
    # Django empties the query log at each request start, so count with an execute wrapper.
    queries: list[tuple[float, str]] = []

    def record_query(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - t0, sql))

    with connection.execute_wrapper(record_query):
        hit()
    warm = [hit() for _ in range(n)]
    print(f"\nprofile of GET {path} in-process (Django test client, production settings)")
    print(
        f"  first hit in a process (chart drawn): {cold * 1e3:.1f} ms; then p50 "
        f"{percentile(warm, 50) * 1e3:.2f} ms, p99 {percentile(warm, 99) * 1e3:.2f} ms over {n}"
    )
    print(f"  SQL queries per warm request: {len(queries)}")
    for secs, sql in queries:
        print(f"    {secs * 1e3:6.2f} ms  {sql[:100]}")

    a = Assessment.objects.get(pk=result_id)
    inst = a.instrument

    def avg_ms(fn, reps: int = 200) -> float:
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        return (time.perf_counter() - t0) / reps * 1e3

    scored = a.scored()
    prof = build_profile(inst, scored)
    ctx = views._result_context(a)

    def reconnect() -> None:
        connection.close()
        connection.ensure_connection()

    parts = [
        ("open SQLite connection (+ PRAGMAs)", avg_ms(reconnect)),
        ("Assessment fetch (one query)", avg_ms(lambda: Assessment.objects.get(pk=result_id))),
        ("a.scored() (re-score from answers)", avg_ms(a.scored)),
        ("build_profile", avg_ms(lambda: build_profile(inst, scored))),
        ("_result_context (chart from cache)", avg_ms(lambda: views._result_context(a))),
        (
            "render result.html",
            avg_ms(lambda: render_to_string("assessments/result.html", ctx)),
        ),
        ("charts.profile_chart (uncached)", avg_ms(lambda: charts.profile_chart(inst, prof), 5)),
    ]
    for label, ms in parts:
        print(f"  {label:<40} {ms:8.2f} ms")
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(n):
        dc.get(path)
    pr.disable()
    out = io.StringIO()
    pstats.Stats(pr, stream=out).sort_stats("tottime").print_stats(20)
    print(f"  cProfile, {n} warm requests, top 20 by own (internal) time:")
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


# --------------------------------------------------------------------------- main


def report(results: list[dict], args) -> list[str]:
    base = next(r for r in results if r["scenario"] == "baseline")
    print(
        f"\n{'scenario':<34} {'requests':>9} {'errors':>7} {'req/s':>9} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'x baseline req/s':>17}"
    )
    print("-" * 106)

    def row(label: str, values: list[float], rps: float, errors: int | str, ratio: bool = True):
        if not values:
            print(f"{label:<34} {0:>9} {errors:>7}  (nothing completed)")
            return
        r = f"{rps / base['rps']:.3f}x" if ratio and base["rps"] else ""
        print(
            f"{label:<34} {len(values):>9,} {errors:>7} {rps:>9,.1f} "
            f"{percentile(values, 50) * 1e3:>8.2f} {percentile(values, 99) * 1e3:>8.2f} "
            f"{max(values) * 1e3:>8.2f} {r:>17}"
        )

    names = {
        "baseline": "(a) GET /healthz",
        "submit": "(b) ECR-R submission, all POSTs",
        "result": "(c) GET /assessments/<id>/, 1st run",
        "result-again": "(c) GET /assessments/<id>/, 2nd run",
    }
    for r in results:
        row(names[r["scenario"]], r["all"], r["rps"], len(r["errors"]))
        if r["scenario"] == "submit":
            for step, label in (
                ("start", "POST /assessments/start/ecr-r/"),
                ("page", "POST page 1-5 (next)"),
                ("finish", "POST page 6 (finish)"),
            ):
                v = r["lat"].get(step, [])
                row(f"    {label}", v, len(v) / r["seconds"], "", ratio=False)
            s = r["submissions"]
            row("    whole submission (7 POSTs)", s, len(s) / r["seconds"], "", ratio=False)
    print("-" * 106)
    for r in results:
        if r["warm"]:
            print(
                f"warm-up ({args.warmup:g}s, not counted) {names[r['scenario']]}: "
                f"{len(r['warm'])} requests, p50 {percentile(r['warm'], 50) * 1e3:.1f} ms, "
                f"max {max(r['warm']) * 1e3:.1f} ms"
            )
        if r["errors"]:
            uniq = sorted(set(r["errors"]))
            print(f"errors in {names[r['scenario']]}: {len(r['errors'])}, e.g. {uniq[:3]}")

    missed = []
    print()
    for res in (r for r in results if r["scenario"].startswith("result")):
        run = "1st run" if res["scenario"] == "result" else "2nd run"
        if not res["all"]:
            missed.append(f"TARGET MISSED: no result page request completed ({run})")
            continue
        p99 = percentile(res["all"], 99) * 1e3
        slow = sum(1 for x in res["all"] if x > 0.1)
        ok = p99 < RESULT_P99_TARGET_MS
        print(
            f"result page, {run}: p99 {p99:.1f} ms at {args.clients} clients "
            f"(target < {RESULT_P99_TARGET_MS:g} ms): {'met' if ok else 'MISSED'}; "
            f"{slow} of {len(res['all'])} requests over 100 ms"
        )
        if not ok:
            missed.append(
                f"TARGET MISSED: result page p99 {p99:.1f} ms at {args.clients} concurrent "
                f"clients, {run} (target < {RESULT_P99_TARGET_MS:g} ms)"
            )
        ratio = base["rps"] / res["rps"] if res["rps"] else float("inf")
        print(f"result page, {run}: baseline/result throughput {ratio:.2f}x (for comparison)")
    return missed


def main(argv: list[str] | None = None) -> int:
    cores = os.cpu_count() or 1
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per scenario")
    p.add_argument(
        "--warmup", type=float, default=2.0, help="unmeasured seconds before each (default 2)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"gunicorn workers (default as `safebase serve --production`: {default_workers()})",
    )
    p.add_argument(
        "--threads", type=int, default=1, help="gunicorn --threads (gthread when > 1; default 1)"
    )
    p.add_argument(
        "--users",
        choices=["per-client", "local"],
        default="per-client",
        help="per-client: one user per client, so each has its own in-progress questionnaire "
        "(default); local: every client signs in as the single-person local owner, whose "
        "concurrent submissions then share one in-progress assessment",
    )
    p.add_argument("--seed", type=int, default=2026, help="random seed for answers")
    p.add_argument(
        "--profile",
        action="store_true",
        help="profile the result view in-process after the load run (also done when a "
        "result-page target is missed)",
    )
    p.add_argument("--profile-requests", type=int, default=300, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    # A SIGTERM should still stop the server (finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = tempfile.TemporaryDirectory(prefix="safebase-load-")
    data_dir = Path(tmp.name)
    env = server_env(data_dir)
    os.environ.update(env)
    proc: subprocess.Popen | None = None
    pool = None
    log_path = data_dir / "gunicorn.log"
    try:
        import django
        import gunicorn

        print(
            f"safebase web load — {args.clients} clients (one process each), {args.warmup:g}s "
            f"warm-up + {args.seconds:g}s measured per scenario; gunicorn {gunicorn.__version__} "
            f"--workers {args.workers}"
            + (f" --threads {args.threads}" if args.threads > 1 else " (sync)")
            + f"; SQLite; users {args.users}; settings {env['DJANGO_SETTINGS_MODULE']}"
        )
        print(
            f"python {platform.python_version()}, django {django.__version__}, "
            f"{cores} CPU(s), {platform.machine()}; clients and server share these CPUs"
        )
        t0 = time.perf_counter()
        people, result_ids, pages = prepare_data(args.clients, args.users, args.seed)
        tokens = issue_tokens(people)
        from django.db import connections

        connections.close_all()
        print(
            f"migrated, collected static, {len(set(result_ids))} completed result(s) seeded "
            f"in {time.perf_counter() - t0:.1f}s; data dir {data_dir}"
        )

        port = free_port()
        proc = subprocess.Popen(
            gunicorn_command(HOST, port, args.workers, args.threads),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        t0 = time.perf_counter()
        wait_for_health(proc, port)
        up = time.perf_counter() - t0
        print(f"gunicorn pid {proc.pid} on {HOST}:{port}, /healthz answered after {up:.1f}s")

        sessions = [sign_in(port, t) for t in tokens]
        print(f"{len(sessions)} sessions from {len(tokens)} one-time sign-in links")

        pool = mp.get_context("fork").Pool(args.clients)
        results = []
        # The result page twice: charts are drawn on a worker's first view of each result and
        # kept in that worker's LocMemCache, so the first run pays up to clients x workers
        # drawings and the second shows the steady state.
        for scenario in ("baseline", "submit", "result", "result-again"):
            print(f"running {scenario} …", flush=True)
            results.append(run_scenario(pool, scenario, port, sessions, result_ids, pages, args))
        pool.close()
        pool.join()
        pool = None

        missed = report(results, args)
        if proc.poll() is not None:
            print(f"WARNING: gunicorn exited during the run ({proc.returncode})")
        stop_server(proc)
        if args.profile or missed:
            profile_result_view(people[0], result_ids[0], args.profile_requests)
        print()
        for line in missed:
            print(line)
        if not missed:
            print("all targets met")
    except BaseException:
        if log_path.exists():
            tail = log_path.read_bytes()[-3000:].decode(errors="replace")
            print(f"--- gunicorn log tail ---\n{tail}", file=sys.stderr)
        raise
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        stop_server(proc)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
