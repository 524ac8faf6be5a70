"""Load on the clinic pages: therapists browsing their caseload and their clients' pages.

Run from the repository root (needs PostgreSQL; `bash scripts/test-services.sh` starts one):

    .venv/bin/python benchmarks/clinic_load.py [--clients 16] [--seconds 10] [--think 1]
        [--therapists 20] [--per-therapist 200] [--results 10] [--workers N]
        [--database-url URL] [--profile]

Results (2026-11-29, details and history in benchmarks/README.md), default sizes, 16 sessions
pausing ~1 s between clicks, 30 s measured: caseload p99 23.0 / 32.7 / 34.2 ms in three runs on
the quiet machine (target met), 93.3 ms in a run while another engineer's 5M-row benchmark
shared the two cores; no errors. Back to back (``--think 0``, a capacity test): 125.7 pages/s,
caseload p99 155 ms. The first view of each caseload page, which draws and stores its rows'
cells, is timed apart (16 sessions opening all 8 pages at once: p50 245-276 ms).

Earlier runs of this script (p99 458-4,816 ms) are not comparable: its seeding wrote partner
shares instead of therapist shares, so the caseloads showed no results; it now counts a caseload
page without the seeded results as an error.

This is a measurement, not a test: it exits 0 whenever it finishes and prints "TARGET MISSED"
lines when a target is not met. The target (issue 11, "Scale"): with --therapists 20 x
--per-therapist 200 clients x --results 10 shared results each (40,000 results) and --clients 16
concurrent therapist sessions browsing the caseload and client pages, the caseload page
``/clinic/`` at p99 < 100 ms. A session is a person clicking: after each page it pauses
uniformly 0.5-1.5 x --think seconds (default 1 s, quicker than anyone reads a caseload). That
the pages do not issue more queries for more clients (no N+1) is a test, not this script:
tests/web/clinic/test_therapist_day.py.

What runs: a database of its own (``safebase_bench_<random>``) created on the PostgreSQL server
of --database-url (default $SAFEBASE_TEST_DATABASE_URL, else the one scripts/test-services.sh
starts) and dropped at the end; the server environment of benchmarks/web_load.py plus
SAFEBASE_MULTI_USER=1 and DATABASE_URL; migrate and collectstatic in this process, then gunicorn
started exactly as ``safebase serve --production`` starts it. Seeding writes what the app itself
would: therapists in the therapist group; per therapist, clients alternately with an account
(``ClientRecord`` kind full, sharing one questionnaire per measure: ``shared_instruments``) and
without (kind no_login, an inactive placeholder person); per client, completed results whose
stored ``scores``/``style`` come from the real scorer (``record_assessment`` on a few answer
patterns, copied), finished every two weeks or so over the past months, each with the therapist
``Share`` row the app creates; one recurring assignment and a last-session date per client. Rows
are written with bulk_create in batches. Each session is one process (no shared GIL) signed in
as a different therapist through a one-time link. It first opens every page of its caseload
once (timed apart), then loops: a random caseload page ``/clinic/?page=N`` (25 clients a page,
by name), a pause, ``/clinic/clients/<pk>/`` (since the last session) of a random client of
theirs, a pause. A response must be 200 and list exactly that page's clients with their shared
results (caseload) or name the client (client page), or it counts as an error. A ``/healthz``
run with the same sessions, back to back, first gives the baseline.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import multiprocessing as mp
import os
import platform
import pstats
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
for p in (ROOT, ROOT / "benchmarks"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from web_load import (  # noqa: E402
    HOST,
    Client,
    free_port,
    percentile,
    server_env,
    sign_in,
    stop_server,
    wait_for_health,
)

from safebase.web.serving import default_workers, gunicorn_command  # noqa: E402

CASELOAD_P99_TARGET_MS = 100.0
THINK_SECONDS = 1.0
DEFAULT_SERVER = "postgres://safebase:safebase@127.0.0.1:5432/postgres"
INSTRUMENTS = ("ecr-s", "ecr-5pt")  # ECR 5-point has a reference sample: reliable change shown
PATTERNS = 6  # answer patterns scored per instrument, copied to every result
CLIENT_LINK_RE = re.compile(rb'href="/clinic/clients/(\d+)/"')
BATCH = 2000


# --------------------------------------------------------------------------- the database


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_connect(url: str):
    import psycopg

    return psycopg.connect(_with_db(url, "postgres"), autocommit=True, connect_timeout=5)


def create_database(server_url: str) -> str:
    """A fresh database of this run's own on the server; returns its URL. If the role cannot
    connect or create databases, scripts/test-services.sh (which starts the local cluster and
    creates the ``safebase`` role with CREATEDB) is run once and the attempt repeated."""
    import psycopg

    name = f"safebase_bench_{secrets.token_hex(4)}"
    for attempt in (1, 2):
        try:
            with _admin_connect(server_url) as conn:
                user = urlsplit(server_url).username
                row = conn.execute(
                    "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                ).fetchone()
                if not row or not row[0]:
                    raise PermissionError(f"role {user!r} may not create databases")
                conn.execute(f'CREATE DATABASE "{name}"')
                return _with_db(server_url, name)
        except (psycopg.OperationalError, PermissionError) as exc:
            if attempt == 2:
                raise SystemExit(
                    f"clinic_load: PostgreSQL is needed and not usable at "
                    f"{_with_db(server_url, 'postgres')}: {exc}. Start it with "
                    f"`bash scripts/test-services.sh` (as root) or pass --database-url."
                ) from None
            subprocess.run(
                ["bash", str(ROOT / "scripts" / "test-services.sh")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
    raise AssertionError("unreachable")


def drop_database(server_url: str, db_url: str) -> None:
    name = urlsplit(db_url).path.lstrip("/")
    try:
        with _admin_connect(server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as exc:  # reported; a leftover database is not worth a traceback
        print(f"WARNING: could not drop database {name}: {exc}", file=sys.stderr)


# --------------------------------------------------------------------------- seeding


def _batched(model, rows: list) -> list:
    out = []
    for i in range(0, len(rows), BATCH):
        out += model.objects.bulk_create(rows[i : i + BATCH])
    return out


def _patterns(rng: random.Random) -> dict[str, list[dict]]:
    """Per instrument, a few completed results scored by the app's own path (scores, style,
    version, response range), on a scratch person deleted afterwards."""
    from django.contrib.auth import get_user_model

    from safebase.core.instrument import get_instrument
    from safebase.web.assessments import services

    scratch = get_user_model().objects.create(username="bench-scratch", is_active=False)
    out: dict[str, list[dict]] = {}
    for inst_id in INSTRUMENTS:
        inst = get_instrument(inst_id)
        low, high = inst.response.low, inst.response.high
        out[inst_id] = []
        for _ in range(PATTERNS):
            answers = {k: rng.randint(low, high) for k in inst.item_keys}
            a = services.record_assessment(owner=scratch, instrument_id=inst_id, answers=answers)
            out[inst_id].append(
                {
                    "answers": a.answers,
                    "scores": a.scores,
                    "style": a.style,
                    "instrument_version": a.instrument_version,
                    "response_low": a.response_low,
                    "response_high": a.response_high,
                }
            )
    scratch.delete()
    return out


def seed(n_therapists: int, per_therapist: int, n_results: int, rng: random.Random):
    """Returns (therapists, {therapist pk: [(record pk, display name), ...]})."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from safebase.web.assessments.models import Assessment
    from safebase.web.clinic import roles
    from safebase.web.clinic.models import Assignment, ClientRecord
    from safebase.web.relationships.models import Share

    users = get_user_model()
    patterns = _patterns(rng)
    now = timezone.now()
    today = timezone.localdate()
    unusable = make_password(None)  # one unusable hash for everyone: nobody signs in by password
    with transaction.atomic():
        therapists = _batched(
            users,
            [
                users(username=f"therapist-{t:02d}@bench.example", password=unusable)
                for t in range(n_therapists)
            ],
        )
        group = roles._group(roles.THERAPIST)
        through = users.groups.through
        _batched(through, [through(user_id=t.pk, group_id=group.pk) for t in therapists])

        people = _batched(
            users,
            [
                users(
                    username=(
                        f"client-{t:02d}-{c:04d}"
                        if c % 2 == 0
                        else f"no-login-{secrets.token_hex(8)}"
                    ),
                    password=unusable,
                    is_active=c % 2 == 0,
                )
                for t in range(n_therapists)
                for c in range(per_therapist)
            ],
        )
        records = []
        for t, therapist in enumerate(therapists):
            for c in range(per_therapist):
                person = people[t * per_therapist + c]
                full = c % 2 == 0
                inst_id = INSTRUMENTS[c % 4 // 2]
                records.append(
                    ClientRecord(
                        owner=therapist,
                        person=person,
                        kind=ClientRecord.Kind.FULL if full else ClientRecord.Kind.NO_LOGIN,
                        display_name=person.username if full else f"Client {t:02d}-{c:04d}",
                        last_session=today - timedelta(days=rng.randint(0, 60)),
                        shared_instruments=[inst_id] if full else [],
                    )
                )
        records = _batched(ClientRecord, records)

        results = []
        for i, r in enumerate(records):
            inst_id = INSTRUMENTS[(i % per_therapist) % 4 // 2]
            for k in range(n_results):
                done = now - timedelta(days=14 * (n_results - k), hours=rng.randint(0, 72))
                results.append(
                    Assessment(
                        owner_id=r.person_id,
                        instrument_id=inst_id,
                        status=Assessment.Status.COMPLETE,
                        completed_at=done,
                        **rng.choice(patterns[inst_id]),
                    )
                )
        results = _batched(Assessment, results)
        audience = {r.person_id: r.owner_id for r in records}
        _batched(
            Share,
            [
                Share(
                    owner_id=a.owner_id,
                    audience_id=audience[a.owner_id],
                    kind="result",
                    object_id=a.pk,
                    purpose=Share.Purpose.THERAPIST,
                )
                for a in results
            ],
        )
        _batched(
            Assignment,
            [
                Assignment(
                    owner_id=r.owner_id,
                    record=r,
                    instrument_id="ecr-s",
                    every_weeks=4,
                    next_due=today + timedelta(days=rng.randint(-20, 27)),
                )
                for r in records
            ],
        )
    caseloads: dict[int, list[tuple[int, str]]] = {t.pk: [] for t in therapists}
    for r in records:
        caseloads[r.owner_id].append((r.pk, r.display_name))
    return therapists, caseloads, len(results)


# --------------------------------------------------------------------------- the sessions


def first_views(job: dict) -> list[float]:
    """One therapist opens each page of their caseload once, in order: the first view of a
    page draws and stores its rows' result cells (later views reuse them until something they
    depend on changes), so this is the cold cost, timed apart from the steady state."""
    c = Client(job["port"], job["cookies"])
    n_pages = -(-len(job["clients"]) // job["page_size"])
    times = []
    for number in range(1, n_pages + 1):
        t0 = time.perf_counter()
        status, _, _ = c.request("GET", f"/clinic/?page={number}")
        times.append(time.perf_counter() - t0)
        if status != 200:
            raise RuntimeError(f"first view of caseload page {number}: {status}")
    c.close()
    return times


def run_session(job: dict) -> dict:
    """One therapist: wait for the common start, then browse until the end time. Returns
    latencies (seconds) per page of requests that completed inside the measured window."""
    c = Client(job["port"], job["cookies"])
    rng = random.Random(job["seed"])
    t_measure, t_end = job["t_measure"], job["t_end"]
    lat: dict[str, list[float]] = {}
    warm: list[float] = []
    errors: list[str] = []

    def timed(page: str, path: str):
        t0 = time.perf_counter()
        out = c.request("GET", path)
        t1 = time.perf_counter()
        if t_measure <= t1 <= t_end:
            lat.setdefault(page, []).append(t1 - t0)
        elif t1 < t_measure:
            warm.append(t1 - t0)
        return out

    # The caseload's pages as the app orders them (by name, then id), to check each page.
    ordered = [pk for name, pk in sorted((n.lower(), pk) for pk, n in job["clients"])]
    size = job["page_size"]
    pages = [ordered[i : i + size] for i in range(0, len(ordered), size)]

    def pause() -> None:
        """A person reads a page before the next click: uniform in [0.5, 1.5] x --think."""
        if job["think"] > 0:
            time.sleep(job["think"] * rng.uniform(0.5, 1.5))

    while time.monotonic() < job["t_start"]:
        time.sleep(0.001)
    while time.monotonic() < t_end:
        try:
            if job["scenario"] == "baseline":
                status, _, body = timed("healthz", "/healthz")
                if status != 200 or body != b"ok":
                    errors.append(f"/healthz: {status}")
                continue
            number = rng.randrange(len(pages)) + 1
            status, _, body = timed("caseload", f"/clinic/?page={number}")
            listed = [int(m) for m in CLIENT_LINK_RE.findall(body)]
            if status != 200 or listed != pages[number - 1]:
                errors.append(f"caseload page {number}: {status}, {len(listed)} clients listed")
            elif b"nothing shared yet" in body:  # every seeded client shared results
                errors.append(f"caseload page {number}: shared results not shown")
            pause()
            pk, name = rng.choice(job["clients"])
            status, _, body = timed("client", f"/clinic/clients/{pk}/")
            if status != 200 or name.encode() not in body:
                errors.append(f"client page: {status}, name shown: {name.encode() in body}")
            pause()
        except Exception as exc:  # counted and reported, the run goes on
            errors.append(f"{type(exc).__name__}: {exc}")
    c.close()
    return {"lat": lat, "warm": warm, "errors": errors}


def run_scenario(pool, scenario: str, port: int, sessions: list[dict], caseloads, args) -> dict:
    now = time.monotonic()
    t_start = now + 0.5
    t_measure = t_start + args.warmup
    t_end = t_measure + args.seconds
    jobs = [
        {
            "scenario": scenario,
            "port": port,
            "cookies": cookies,
            "clients": clients,
            "seed": args.seed * 1000 + i,
            "t_start": t_start,
            "t_measure": t_measure,
            "t_end": t_end,
            "think": args.think if scenario == "clinic" else 0.0,
            "page_size": args.page_size,
        }
        for i, (cookies, clients) in enumerate(zip(sessions, caseloads, strict=True))
    ]
    lat: dict[str, list[float]] = {}
    errors: list[str] = []
    warm: list[float] = []
    for o in pool.map(run_session, jobs, chunksize=1):
        for page, v in o["lat"].items():
            lat.setdefault(page, []).extend(v)
        errors += o["errors"]
        warm += o["warm"]
    return {"scenario": scenario, "lat": lat, "errors": errors, "warm": warm}


def report(base: dict, clinic: dict, args) -> list[str]:
    healthz = base["lat"].get("healthz", [])
    base_rps = len(healthz) / args.seconds
    base_p50 = percentile(healthz, 50) if healthz else float("nan")
    print(
        f"\n{'page':<34} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'max ms':>8} {'p50 x healthz':>14}"
    )
    print("-" * 104)
    rows = [("GET /healthz (baseline run)", healthz)] + [
        (label, clinic["lat"].get(page, []))
        for page, label in (
            ("caseload", "GET /clinic/ (caseload)"),
            ("client", "GET /clinic/clients/<pk>/"),
        )
    ]
    for label, v in rows:
        if not v:
            print(f"{label:<34} {0:>9}  (nothing completed)")
            continue
        print(
            f"{label:<34} {len(v):>9,} {len(v) / args.seconds:>8,.1f} "
            f"{percentile(v, 50) * 1e3:>8.2f} {percentile(v, 95) * 1e3:>8.2f} "
            f"{percentile(v, 99) * 1e3:>8.2f} {max(v) * 1e3:>8.2f} "
            f"{percentile(v, 50) / base_p50:>13.1f}x"
        )
    print("-" * 104)
    pages = [x for v in clinic["lat"].values() for x in v]
    print(
        f"clinic pages together: {len(pages) / args.seconds:.1f} req/s "
        f"({len(pages) / args.seconds / base_rps:.3f}x the /healthz baseline's {base_rps:.1f}"
        + (
            f"; paced by the sessions' ~{args.think:g} s pauses, so not a capacity figure: "
            "--think 0 measures capacity"
            if args.think > 0
            else ""
        )
        + f"); errors: baseline {len(base['errors'])}, clinic {len(clinic['errors'])}"
    )
    for r in (base, clinic):
        if r["errors"]:
            examples = sorted(set(r["errors"]))[:3]
            print(f"errors in {r['scenario']}: {len(r['errors'])}, e.g. {examples}")
    missed = []
    caseload = clinic["lat"].get("caseload", [])
    if not caseload:
        missed.append("TARGET MISSED: no caseload request completed")
    else:
        p99 = percentile(caseload, 99) * 1e3
        ok = p99 < CASELOAD_P99_TARGET_MS
        print(
            f"caseload page: p99 {p99:.1f} ms at {args.clients} concurrent therapist sessions, "
            f"{args.per_therapist} clients x {args.results} results each "
            f"(target < {CASELOAD_P99_TARGET_MS:g} ms): {'met' if ok else 'MISSED'}"
        )
        if not ok:
            missed.append(
                f"TARGET MISSED: caseload p99 {p99:.1f} ms at {args.clients} concurrent sessions "
                f"(target < {CASELOAD_P99_TARGET_MS:g} ms)"
            )
    if clinic["errors"]:
        missed.append(f"TARGET MISSED: {len(clinic['errors'])} clinic requests failed")
    return missed


# --------------------------------------------------------------------------- profile


def profile_page(therapist, path: str, n: int) -> None:
    """In this process, through Django's test client: queries and time of one render of
    ``path``, and a cProfile of ``n`` renders."""
    from django.db import connection
    from django.test import Client as DjangoClient

    dc = DjangoClient(HTTP_HOST=HOST)
    dc.force_login(therapist)
    queries: list[tuple[float, str]] = []

    def record_query(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - t0, sql))

    assert dc.get(path).status_code == 200
    with connection.execute_wrapper(record_query):
        assert dc.get(path).status_code == 200
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        dc.get(path)
        times.append(time.perf_counter() - t0)
    print(
        f"\nprofile of GET {path} in-process: p50 {percentile(times, 50) * 1e3:.1f} ms over "
        f"{n}; {len(queries)} SQL queries:"
    )
    for secs, sql in queries:
        print(f"    {secs * 1e3:6.2f} ms  {sql[:100]}")
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(n):
        dc.get(path)
    pr.disable()
    out = io.StringIO()
    stats = pstats.Stats(pr, stream=out)
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(r"safebase|template|query|psycopg", 25)
    print("\n".join("    " + line for line in out.getvalue().splitlines() if line.strip()))


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=16, help="concurrent therapist sessions")
    p.add_argument("--seconds", type=float, default=10.0, help="measured seconds per scenario")
    p.add_argument("--warmup", type=float, default=2.0, help="unmeasured seconds before each")
    p.add_argument("--therapists", type=int, default=20, help="therapists seeded (default 20)")
    p.add_argument("--per-therapist", type=int, default=200, help="clients per therapist")
    p.add_argument("--results", type=int, default=10, help="shared results per client")
    p.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"gunicorn workers (default as `safebase serve --production`: {default_workers()})",
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get("SAFEBASE_TEST_DATABASE_URL") or DEFAULT_SERVER,
        help="a PostgreSQL server URL whose role may create databases; the run creates and "
        "drops a database of its own there (default $SAFEBASE_TEST_DATABASE_URL or "
        f"{DEFAULT_SERVER})",
    )
    p.add_argument(
        "--think",
        type=float,
        default=THINK_SECONDS,
        help="mean seconds a session reads a page before its next click (uniform in 0.5-1.5 x "
        f"this; default {THINK_SECONDS:g}); 0 for back-to-back requests (a capacity test)",
    )
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--profile", action="store_true", help="profile the caseload in-process")
    p.add_argument("--profile-requests", type=int, default=20, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.clients > args.therapists:
        p.error("--clients: one session per therapist, so at most --therapists")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    db_url = create_database(args.database_url)
    tmp = tempfile.TemporaryDirectory(prefix="safebase-clinic-load-")
    data_dir = Path(tmp.name)
    env = server_env(data_dir) | {"DATABASE_URL": db_url, "SAFEBASE_MULTI_USER": "1"}
    os.environ.update(env)
    proc: subprocess.Popen | None = None
    pool = None
    log_path = data_dir / "gunicorn.log"
    try:
        import django
        import gunicorn

        print(
            f"safebase clinic load — {args.clients} therapist sessions (one process each), "
            f"{args.warmup:g}s warm-up + {args.seconds:g}s measured; {args.therapists} therapists "
            f"x {args.per_therapist} clients x {args.results} results; gunicorn "
            f"{gunicorn.__version__} --workers {args.workers} (sync); PostgreSQL database "
            f"{urlsplit(db_url).path.lstrip('/')} (created for this run)"
        )
        print(
            f"python {platform.python_version()}, django {django.__version__}, "
            f"{os.cpu_count()} CPU(s), {platform.machine()}, load average "
            f"{os.getloadavg()[0]:.1f}; clients, server and PostgreSQL share these CPUs"
        )
        t0 = time.perf_counter()
        from safebase.web.bootstrap import setup_django

        setup_django()  # migrates
        from safebase.web.clinic.reads import CASELOAD_PAGE_SIZE

        args.page_size = CASELOAD_PAGE_SIZE
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"migrated and collected static in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        rng = random.Random(args.seed)
        therapists, caseloads, n_results = seed(
            args.therapists, args.per_therapist, args.results, rng
        )
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(
            f"seeded {len(therapists)} therapists, {sum(map(len, caseloads.values())):,} clients, "
            f"{n_results:,} shared results in {time.perf_counter() - t0:.1f}s"
        )
        from safebase.web.accounts.services import issue_sign_in_token

        chosen = therapists[: args.clients]
        tokens = [issue_sign_in_token(user=t) for t in chosen]
        connections.close_all()

        port = free_port()
        proc = subprocess.Popen(
            gunicorn_command(HOST, port, args.workers),
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        t0 = time.perf_counter()
        wait_for_health(proc, port)
        print(f"gunicorn on {HOST}:{port}, /healthz answered after {time.perf_counter() - t0:.1f}s")
        sessions = [sign_in(port, tok) for tok in tokens]
        print(f"{len(sessions)} therapist sessions from one-time sign-in links")

        pool = mp.get_context("fork").Pool(args.clients)
        their = [caseloads[t.pk] for t in chosen]
        cold = pool.map(
            first_views,
            [
                {"port": port, "cookies": k, "clients": c, "page_size": args.page_size}
                for k, c in zip(sessions, their, strict=True)
            ],
            chunksize=1,
        )
        cold_times = [t for per_session in cold for t in per_session]
        print(
            "first view of every caseload page by every session (cells drawn and stored, all "
            f"sessions at once): {len(cold_times)} pages, p50 "
            f"{percentile(cold_times, 50) * 1e3:.0f} ms, max {max(cold_times) * 1e3:.0f} ms; "
            "not part of the measured window"
        )
        print("running baseline (/healthz) …", flush=True)
        base = run_scenario(pool, "baseline", port, sessions, their, args)
        print("running clinic (caseload and client pages) …", flush=True)
        clinic = run_scenario(pool, "clinic", port, sessions, their, args)
        pool.close()
        pool.join()
        pool = None
        missed = report(base, clinic, args)
        if proc.poll() is not None:
            print(f"WARNING: gunicorn exited during the run ({proc.returncode})")
        stop_server(proc)
        if args.profile or missed:
            profile_page(chosen[0], "/clinic/", args.profile_requests)
            profile_page(chosen[0], f"/clinic/clients/{caseloads[chosen[0].pk][0][0]}/", 20)
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
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        drop_database(args.database_url, db_url)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
