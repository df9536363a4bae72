"""Import and fetch at scale (issue 12, item 5): timings and peak memory, printed.

    python bench/fetch.py              # 10,000 records of each portal
    python bench/fetch.py --size 500   # a quick look

For each portal (EU search-API records, Aides-territoires API records), with
synthetic records in the documented shapes:

- ``import`` of N records into a new file            goal at 10k: <= 3 s, <= 300 MB
- the same import again, nothing changed              goal at 10k: <= 1 s
- ``fetch`` of the same N records from a server on 127.0.0.1 (pages of 100),
  into a new file                                     goal at 10k: <= 3 s
- ``fetch`` again the next day (every ``checked`` moves)  goal at 10k: <= 300 MB
- ``list`` on the result, empty cache, against a bare ``rtoml`` parse of that
  file                                                goal: <= 2x
- the report: totals by reason and at most 20 detail lines (+1 "more" line)

Nothing here is a test: goals are printed as PASS / FAIL for a person to read.
Times are the child's CPU time (user + system), with wall time beside: on a
machine shared with other jobs, wall time mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PY = sys.executable
CALLWATCH = [PY, "-m", "callwatch"]
TODAY = "2026-12-04"


@dataclass
class Sample:
    wall: float
    seconds: float  # CPU (user + system): what the goals are judged on, on a shared machine
    max_rss_mb: float
    stderr: str


def run(cmd: Sequence[str], env: dict[str, str]) -> Sample:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{err}")
    return Sample(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err)


def eu_records(n: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        day = date(2027, 1, 10) + timedelta(days=rng.randrange(300))
        deadlines = [f"{day.isoformat()}T17:00:00.000+0100"]
        model = "single-stage"
        if i % 10 == 0:
            model = "two-stage"
            deadlines.append(f"{(day + timedelta(days=150)).isoformat()}T17:00:00.000+0200")
        actions = [
            {
                "types": [{"typeOfAction": "HORIZON-RIA HORIZON Research and Innovation Actions"}],
                "deadlineDates": [] if i % 50 == 1 else deadlines,
                "plannedOpeningDate": "2026-10-01",
            }
        ]
        meta = {
            "identifier": [f"HORIZON-BENCH-2027-{i:05d}"],
            "title": [f"Topic {i}: resilient rural areas and local food systems"],
            "type": ["0" if i % 100 == 7 else "1"],  # a few tenders: skipped
            "status": ["31094501" if i % 50 == 1 else "31094502"],
            "frameworkProgramme": ["43108390"],
            "callIdentifier": [f"HORIZON-BENCH-2027-{i // 20:03d}"],
            "deadlineDate": deadlines[-1:],
            "startDate": ["2026-10-01T00:00:00.000+0200"],
            "deadlineModel": [model],
            "keywords": ['["rural areas","food systems"]'],
            "actions": [json.dumps(actions)],
        }
        out.append({"content": meta["title"][0], "metadata": meta})
    return out


PERIMETERS = [
    "Puy-de-Dôme (Département)",
    "Auvergne-Rhône-Alpes (Région)",
    "France (Pays)",
    "Sallanches (Commune – 74700)",
    "Massif central (Massif)",
]


def at_records(n: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        deadline = None if i % 4 == 0 else (date(2027, 1, 5) + timedelta(days=rng.randrange(300)))
        out.append(
            {
                "id": 10_000 + i,
                "slug": f"{i:04x}-aide-numero-{i}",
                "url": f"/aides/{i:04x}-aide-numero-{i}/",
                "name": f"Aide numéro {i} aux projets des communes",
                "financers": ["Région Auvergne-Rhône-Alpes"],
                "programs": ["Fonds vert"] if i % 3 == 0 else [],
                "description": "<p>Soutien aux projets d'investissement des communes.</p>",
                "perimeter": PERIMETERS[i % len(PERIMETERS)],
                "categories": ["Mobilité", "Énergie"],
                "is_call_for_project": i % 2 == 0,
                "application_url": None,
                "targeted_audiences": ["Communes", "Martiens"] if i % 97 == 0 else ["Communes"],
                "aid_types": ["Subvention"],
                "start_date": None,
                "submission_deadline": None if deadline is None else deadline.isoformat(),
                "recurrence": "Permanente" if deadline is None else "Ponctuelle",
            }
        )
    return out


class _Pages(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        records = self.server.records
        if parts.path == "/api/connexion/":
            body: Any = {"token": "jwt"}
        elif parts.path == "/api/aids/":
            page = int(query["page"][0])
            chunk = records[(page - 1) * 100 : page * 100]
            more = page * 100 < len(records)
            body = {"count": len(records), "next": "more" if more else None, "results": chunk}
        else:
            page = int(query["pageNumber"][0])
            chunk = records[(page - 1) * 100 : page * 100]
            body = {"totalResults": len(records), "pageSize": 100, "results": chunk}
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer


def serve(records: list[Any]) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    server.records = records  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args(argv)
    n = args.size
    full = n >= 10_000
    rng = random.Random(12)
    work = Path(tempfile.mkdtemp(prefix="callwatch-bench-fetch-"))
    env = {
        **os.environ,
        "CALLWATCH_CACHE": str(work / "cache"),
        "CALLWATCH_TODAY": TODAY,
        "CALLWATCH_TEAM": "none",
        "CALLWATCH_AT_API_KEY": "bench-key",
    }
    print(f"{n} records per portal; Python {sys.version.split()[0]}; {work}")
    print(f"{'measure':52} {'CPU':>8} {'wall':>8} {'max RSS':>9}  goal (on CPU time)")
    for portal, make in (("eu-portal", eu_records), ("aides-territoires", at_records)):
        records = make(n, rng)
        source = work / f"{portal}.json"
        source.write_text(json.dumps({"results": records}), encoding="utf-8")
        target = work / f"{portal}.toml"
        first = run([*CALLWATCH, "import", portal, str(source), "-o", str(target)], env)
        again = run([*CALLWATCH, "import", portal, str(source), "-o", str(target)], env)
        server, base = serve(records)
        try:
            fetched = work / f"{portal}-fetched.toml"
            live = run([*CALLWATCH, "fetch", portal, "--base-url", base, "-o", str(fetched)], env)
            refetch_env = {**env, "CALLWATCH_TODAY": "2026-12-05"}  # a new day: `checked` moves
            refetch = run(
                [*CALLWATCH, "fetch", portal, "--base-url", base, "-o", str(fetched)], refetch_env
            )
        finally:
            server.shutdown()
        listing = run([*CALLWATCH, "list", "--data", str(target)], env)
        bare = run([PY, "-c", f"import rtoml; rtoml.load(open({str(target)!r}))"], env)
        lines = first.stderr.strip().splitlines()
        rows = [
            (f"{portal}: import {n}, new file", first, "<= 3 s, <= 300 MB",
             first.seconds <= 3 and first.max_rss_mb <= 300),
            (f"{portal}: import again, unchanged", again, "<= 1 s", again.seconds <= 1),
            (f"{portal}: fetch {n} from 127.0.0.1, new file", live, "<= 3 s, <= 300 MB",
             live.seconds <= 3 and live.max_rss_mb <= 300),
            (f"{portal}: fetch again the next day", refetch, "<= 300 MB",
             refetch.max_rss_mb <= 300),
            (f"{portal}: list, empty cache (bare rtoml {bare.seconds:.2f} s)", listing,
             f"<= 2x ({listing.seconds / bare.seconds:.1f}x)", listing.seconds <= 2 * bare.seconds),
        ]  # fmt: skip
        for name, sample, goal, ok in rows:
            shown = verdict(ok) if full or goal == "info" else "(size < 10k)"
            print(
                f"{name:52} {sample.seconds:7.2f}s {sample.wall:7.2f}s "
                f"{sample.max_rss_mb:7.0f}MB  {goal} {shown}"
            )
        print(f"  report: {len(lines)} lines on stderr (goal <= 23: summary, totals, 20, more)")
        for line in lines[:2]:
            print(f"    {line[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
