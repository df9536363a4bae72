"""`callwatch fetch` against scripted portals on 127.0.0.1 (tests/portal_server.py)."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from callwatch.domain.errors import CallwatchError
from callwatch.importers.http import Http
from callwatch.services.fetch import FetchOptions, fetch
from tests.conftest import Invoke
from tests.portal_server import Answer, Request, aid, serve, topic

KEY = "secret-key-7c1f"
TODAY = "2026-12-04"


def calls_in(path: Path) -> dict[str, dict[str, Any]]:
    with path.open("rb") as f:
        return {c["id"]: c for c in tomllib.load(f).get("calls", [])}


class Aides:
    """A scripted Aides-territoires API: login, then pages of *per_page* aids."""

    def __init__(self, aids: list[dict[str, Any]], per_page: int = 2) -> None:
        self.aids = aids
        self.per_page = per_page
        self.logins = 0
        self.expire_after: int | None = None  # pages a token serves before it expires
        self.served: dict[str, int] = {}
        self.fail_page: int | None = None

    def __call__(self, request: Request) -> Answer:
        if request.path == "/api/connexion/" and request.method == "POST":
            if request.headers.get("x-auth-token") != KEY:
                return Answer(401, {"detail": "invalid key"})
            self.logins += 1
            return Answer(200, {"token": f"jwt-{self.logins}"})
        if request.path != "/api/aids/":
            return Answer(404, {"detail": "not found"})
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if not token.startswith("jwt-"):
            return Answer(401, {"detail": "no token"})
        used = self.served.get(token, 0)
        if self.expire_after is not None and used >= self.expire_after:
            return Answer(401, {"detail": "expired token"})
        self.served[token] = used + 1
        page = int(request.query["page"][0])
        if page == self.fail_page:
            return Answer(500, {"detail": "boom"})
        start = (page - 1) * self.per_page
        chunk = self.aids[start : start + self.per_page]
        more = start + self.per_page < len(self.aids)
        return Answer(
            200,
            {
                "count": len(self.aids),
                "previous": None if page == 1 else f"/api/aids/?page={page - 1}",
                "next": f"/api/aids/?page={page + 1}" if more else None,
                "results": chunk,
            },
        )


AIDS = [
    aid(101, "a1b2-soutenir-les-tiers-lieux", "Soutenir les tiers-lieux", "2027-01-15"),
    aid(
        102,
        "c3d4-plan-velo",
        "Plan vélo des communes",
        "2027-02-28",
        perimeter="Puy-de-Dôme (Département)",
    ),
    aid(103, "e5f6-friches", "Recyclage des friches", None),
    aid(
        104,
        "0a0b-haies",
        "Planter des haies",
        "2027-03-31",
        perimeter="Sallanches (Commune – 74700)",
    ),
    aid(
        105,
        "0c0d-cantines",
        "Cantines bio",
        "2027-01-31",
        targeted_audiences=["Etablissement public dont services de l'Etat"],
        perimeter="Saint-Denis (Commune)",  # four communes of that name: not mapped
    ),
]


def run_at(cli: Invoke, base: str, out: Path, *more: str, key: str | None = KEY) -> Any:
    env = {"CALLWATCH_AT_API_KEY": key} if key else {}
    return cli(
        "fetch",
        "aides-territoires",
        "--base-url",
        base,
        "-o",
        str(out),
        "--today",
        TODAY,
        *more,
        env=env,
    )


def test_pages_are_followed_and_every_field_kept(cli: Invoke, tmp_path: Path) -> None:
    portal = Aides(AIDS, per_page=2)
    out = tmp_path / "aides.toml"
    with serve(portal) as (base, requests):
        result = run_at(cli, base, out, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"]["added"] == 5 and report["counts"]["read"] == 5
    assert [r.query["page"] for r in requests if r.path == "/api/aids/"] == [["1"], ["2"], ["3"]]
    assert all(r.headers["user-agent"].startswith("callwatch/") for r in requests)
    calls = {c["source_id"]: c for c in calls_in(out).values()}
    velo = calls["aides-territoires:102"]
    assert velo["territory"] == ["FR-63"] and velo["perimeter"] == "Puy-de-Dôme (Département)"
    assert velo["checked"] == date(2026, 12, 4) and velo["call_for_projects"] is True
    haies = calls["aides-territoires:104"]
    assert haies["territory"] == ["commune:74256"]  # Sallanches, by its postal code
    cantines = calls["aides-territoires:105"]
    assert "territory" not in cantines and cantines["perimeter"] == "Saint-Denis (Commune)"
    assert report["unmapped_perimeters"] == 1
    assert calls["aides-territoires:105"]["beneficiaries"] == ["public_org"]  # 2024 label
    assert calls["aides-territoires:103"]["ongoing"] is True
    assert KEY not in result.stdout + result.stderr + out.read_text(encoding="utf-8")


def test_an_expired_token_is_renewed_once(cli: Invoke, tmp_path: Path) -> None:
    portal = Aides(AIDS, per_page=2)
    portal.expire_after = 1  # each JWT serves one page, then says 401
    out = tmp_path / "aides.toml"
    with serve(portal) as (base, _requests):
        result = run_at(cli, base, out)
    assert result.exit_code == 0, result.stderr
    assert portal.logins == 3
    assert len(calls_in(out)) == 5


def test_a_refused_key_is_a_permanent_error_and_never_shown(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    with serve(Aides(AIDS)) as (base, _requests):
        result = run_at(cli, base, out, key="wrong-key-9")
    assert result.exit_code == 1
    assert "refused (HTTP 401): check the API key" in result.stderr
    assert "wrong-key-9" not in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_no_key_is_a_configuration_error(cli: Invoke, tmp_path: Path) -> None:
    result = run_at(cli, "http://127.0.0.1:9", tmp_path / "a.toml", key=None)
    assert result.exit_code == 78
    assert "CALLWATCH_AT_API_KEY" in result.stderr


def test_the_key_file_must_be_private(cli: Invoke, tmp_path: Path) -> None:
    key_file = tmp_path / "at.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[fetch]\naides_territoires_key_file = "at.key"\n', encoding="utf-8")
    out = tmp_path / "aides.toml"
    with serve(Aides(AIDS)) as (base, _requests):
        key_file.chmod(0o644)
        loose = run_at(cli, base, out, "--config", str(config), key=None)
        key_file.chmod(0o600)
        private = run_at(cli, base, out, "--config", str(config), key=None)
    assert loose.exit_code == 78 and "readable by other users" in loose.stderr
    assert private.exit_code == 0, private.stderr
    assert len(calls_in(out)) == 5


def test_a_failing_middle_page_writes_nothing_and_withdraws_nothing(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "aides.toml"
    with serve(Aides(AIDS)) as (base, _requests):
        assert run_at(cli, base, out).exit_code == 0
    before = out.read_bytes()
    failing = Aides(AIDS)
    failing.fail_page = 2  # a complete fetch would have refreshed every aid; page 2 fails
    monkeypatch.setenv("CALLWATCH_AT_API_KEY", KEY)
    sleeps: list[float] = []
    options = FetchOptions(
        output=out,
        today=date(2026, 12, 10),
        base_url="",
        http=lambda: Http(sleep=sleeps.append, backoff=0.01),
    )
    with serve(failing) as (base, _requests), pytest.raises(CallwatchError) as caught:
        fetch("aides-territoires", FetchOptions(**{**options.__dict__, "base_url": base}))
    assert caught.value.code == 75
    assert caught.value.message.startswith("Aides-territoires page 2: HTTP 500")
    assert len(sleeps) == 4  # retried with back-off, then given up
    assert out.read_bytes() == before


def test_renamed_slug_moved_deadline_and_withdrawn_aid(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    # a call imported earlier from the CSV, filed under its slug
    out.write_text(
        '[[calls]]\nid = "at-a1b2-soutenir-tiers-lieux"\ntitle = "Soutenir les tiers-lieux"\n'
        'url = "https://aides-territoires.beta.gouv.fr/aides/a1b2-soutenir-les-tiers-lieux/"\n'
        'source_id = "aides-territoires:a1b2-soutenir-les-tiers-lieux"\n'
        "deadlines = [{ date = 2027-01-15 }]\n"
        'notes = "à suivre avec la com com"\n',
        encoding="utf-8",
    )
    with serve(Aides(AIDS)) as (base, _requests):
        first = json.loads(run_at(cli, base, out, "--json").stdout)
    assert first["counts"] == {
        "read": 5,
        "added": 4,
        "updated": 1,
        "unchanged": 0,
        "skipped": 0,
        "withdrawn": 0,
    }
    calls = calls_in(out)
    assert calls["at-a1b2-soutenir-tiers-lieux"]["source_id"] == "aides-territoires:101"
    assert calls["at-a1b2-soutenir-tiers-lieux"]["notes"] == "à suivre avec la com com"

    second = [dict(a) for a in AIDS[:4]]
    second[0].update(slug="a1b2-tiers-lieux-ruraux", url="/aides/a1b2-tiers-lieux-ruraux/")
    second[1]["submission_deadline"] = "2027-03-15"  # moved
    with serve(Aides(second)) as (base, _requests):
        result = run_at(cli, base, out, "--json")
    report = json.loads(result.stdout)
    assert report["counts"]["added"] == 0  # the renamed aid is not duplicated
    assert report["counts"]["withdrawn"] == 1
    calls = calls_in(out)
    assert len(calls) == 5
    renamed = calls["at-a1b2-soutenir-tiers-lieux"]
    assert renamed["url"].endswith("/aides/a1b2-tiers-lieux-ruraux/")
    velo = next(c for c in calls.values() if c["source_id"] == "aides-territoires:102")
    assert velo["deadlines"] == [{"date": date(2027, 3, 15)}]
    gone = next(c for c in calls.values() if c["source_id"] == "aides-territoires:105")
    assert gone["withdrawn"] == date(2026, 12, 4)

    listed = cli("--today", TODAY, "list", "--all", "--json", "--data", str(out))
    status = {c["id"]: c["status"] for c in json.loads(listed.stdout)["calls"]}
    assert status[gone["id"]] == "closed"
    open_now = cli("--today", TODAY, "list", "--json", "--data", str(out))
    assert gone["id"] not in {c["id"] for c in json.loads(open_now.stdout)["calls"]}
    shown = cli("--today", TODAY, "--lang", "en", "show", gone["id"], "--data", str(out))
    assert "[withdrawn]" in shown.stdout and "2026-12-04 (no longer returned" in shown.stdout


def test_a_filtered_fetch_never_withdraws(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    with serve(Aides(AIDS)) as (base, _requests):
        assert run_at(cli, base, out).exit_code == 0
    with serve(Aides(AIDS[:1])) as (base, requests):
        result = run_at(cli, base, out, "--text", "tiers-lieux", "--json")
    assert json.loads(result.stdout)["counts"]["withdrawn"] == 0
    assert requests[-1].query["text"] == ["tiers-lieux"]
    assert not any("withdrawn" in c for c in calls_in(out).values())


# -- the client: retries, back-off, timeouts, broken answers -------------------------------


def service_fetch(base: str, out: Path, sleeps: list[float], **http: Any) -> Any:
    def client() -> Http:
        return Http(sleep=sleeps.append, backoff=0.01, **http)

    options = FetchOptions(output=out, today=date(2026, 12, 4), base_url=base, http=client)
    return fetch("eu-portal", options)


def scripted(*answers: Answer) -> Callable[[Request], Answer]:
    queue = list(answers)

    def app(_request: Request) -> Answer:
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return app


ONE_PAGE = {
    "totalResults": 1,
    "pageNumber": 1,
    "pageSize": 100,
    "results": [topic("HORIZON-CL6-2027-01-X-01", ["2027-02-17"])],
}


def test_429_honours_retry_after_then_succeeds(tmp_path: Path) -> None:
    sleeps: list[float] = []
    app = scripted(Answer(429, {"error": "slow down"}, {"Retry-After": "3"}), Answer(200, ONE_PAGE))
    with serve(app) as (base, _requests):
        report = service_fetch(base, tmp_path / "eu.toml", sleeps)
    assert sleeps == [3.0]
    assert report.count("added") == 1


def test_503_then_success_backs_off(tmp_path: Path) -> None:
    sleeps: list[float] = []
    app = scripted(Answer(503, {}), Answer(503, {}), Answer(200, ONE_PAGE))
    with serve(app) as (base, requests):
        report = service_fetch(base, tmp_path / "eu.toml", sleeps)
    assert sleeps == [0.01, 0.02]  # doubled each time
    assert len(requests) == 3 and report.count("added") == 1


def test_a_retry_after_beyond_the_bound_is_not_waited_for(tmp_path: Path) -> None:
    sleeps: list[float] = []
    app = scripted(Answer(429, {}, {"Retry-After": "86400"}))
    with serve(app) as (base, _requests), pytest.raises(CallwatchError) as caught:
        service_fetch(base, tmp_path / "eu.toml", sleeps)
    assert caught.value.code == 75 and "asked to wait 86400 s" in caught.value.message
    assert sleeps == []


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (Answer(200, ONE_PAGE, delay=1.0), "no answer within 0.2 s"),
        (Answer(200, b'{"totalResults": 1, "results": [', truncate=True), "network error"),
        (Answer(200, b'{"totalResults": 1, "results": [}'), "not valid JSON"),
        (Answer(502, b"<html>bad gateway</html>"), "HTTP 502"),
    ],
    ids=["timeout", "truncated body", "malformed JSON", "5xx for ever"],
)
def test_an_unreadable_page_is_temporary_and_writes_nothing(
    tmp_path: Path, answer: Answer, says: str
) -> None:
    out = tmp_path / "eu.toml"
    sleeps: list[float] = []
    with serve(scripted(answer)) as (base, _requests), pytest.raises(CallwatchError) as caught:
        service_fetch(base, out, sleeps, timeout=0.2, retries=1)
    assert caught.value.code == 75
    assert says in caught.value.message and "\n" not in caught.value.message
    assert not out.exists()


# -- EU portal -------------------------------------------------------------------------------


def eu_pages(topics: list[dict[str, Any]], per_page: int = 2) -> Callable[[Request], Answer]:
    def app(request: Request) -> Answer:
        page = int(request.query["pageNumber"][0])
        chunk = topics[(page - 1) * per_page : page * per_page]
        return Answer(
            200,
            {
                "totalResults": len(topics),
                "pageNumber": page,
                "pageSize": per_page,
                "results": chunk,
            },
        )

    return app


TWO_STAGE = topic(
    "HORIZON-CL6-2027-02-FARM2FORK-01-two-stage",
    ["2027-02-17T17:00:00.000+0100", "2027-09-14T17:00:00.000+0200"],
    model="two-stage",
)
CASCADE = topic("EUSPA-2027-CASCADE-01", ["2027-03-01"], type="8", programme="43152860")
FORTHCOMING = topic(
    "LIFE-2027-SAP-NAT",
    [],
    status="31094501",
    programme="43252405",
    actions=[{"types": [], "deadlineDates": [], "plannedOpeningDate": "2027-04-15"}],
)


def test_eu_pages_two_stage_cascade_and_forthcoming(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "eu.toml"
    topics = [TWO_STAGE, CASCADE, FORTHCOMING]
    with serve(eu_pages(topics)) as (base, requests):
        result = cli(
            "fetch", "eu-portal", "--base-url", base, "-o", str(out), "--today", TODAY, "--json"
        )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["counts"]["added"] == 3
    assert [r.query["pageNumber"] for r in requests] == [["1"], ["2"]]
    body = requests[0].body.decode()
    assert '"31094501"' in body and '"8"' in body and "application/json" in body
    calls = calls_in(out)
    two = calls["HORIZON-CL6-2027-02-FARM2FORK-01-two-stage"]
    assert two["programme"] == "Horizon Europe" and two["action_type"] == "RIA"
    assert [(d["date"], d.get("label"), d.get("invited", False)) for d in two["deadlines"]] == [
        (date(2027, 2, 17), "stage 1", False),
        (date(2027, 9, 14), "stage 2 (invited applicants only)", True),
    ]
    assert calls["EUSPA-2027-CASCADE-01"]["aid_types"] == ["Cascade funding"]
    assert calls["EUSPA-2027-CASCADE-01"]["programme"] == "Digital Europe"
    life = calls["LIFE-2027-SAP-NAT"]
    assert "deadlines" not in life and life["opens"] == date(2027, 4, 15)

    def listed(day: str) -> dict[str, str]:
        got = cli("--today", day, "list", "--json", "--data", str(out))
        return {c["id"]: c["status"] for c in json.loads(got.stdout)["calls"]}

    before, after = listed("2027-02-10"), listed("2027-03-01")
    assert before["HORIZON-CL6-2027-02-FARM2FORK-01-two-stage"] == "closing_soon"
    assert "HORIZON-CL6-2027-02-FARM2FORK-01-two-stage" not in after  # only invitees are left
    assert before["LIFE-2027-SAP-NAT"] == "upcoming"


def test_programme_by_name_is_a_partial_fetch(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "eu.toml"
    with serve(eu_pages([TWO_STAGE, CASCADE])) as (base, _requests):
        assert (
            cli(
                "fetch", "eu-portal", "--base-url", base, "-o", str(out), "--today", TODAY
            ).exit_code
            == 0
        )
    with serve(eu_pages([TWO_STAGE])) as (base, requests):
        result = cli(
            "fetch",
            "eu-portal",
            "--programme",
            "horizon europe",
            "--base-url",
            base,
            "-o",
            str(out),
            "--today",
            TODAY,
            "--json",
        )
    assert json.loads(result.stdout)["counts"]["withdrawn"] == 0
    assert '"frameworkProgramme": ["43108390"]' in requests[0].body.decode()
    unknown = cli("fetch", "eu-portal", "--programme", "Horizon 2020", "--base-url", base)
    assert unknown.exit_code == 2 and "unknown programme 'Horizon 2020'" in unknown.stderr


def test_plain_http_only_on_loopback(cli: Invoke, tmp_path: Path) -> None:
    result = cli(
        "fetch",
        "eu-portal",
        "--base-url",
        "http://mirror.example.org",
        "-o",
        str(tmp_path / "x.toml"),
    )
    assert result.exit_code == 2
    assert "plain http:// is allowed only on this machine" in result.stderr


def test_a_fetch_the_next_day_only_moves_checked(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "aides.toml"
    with serve(Aides(AIDS)) as (base, _requests):
        assert run_at(cli, base, out).exit_code == 0
        before = out.read_text(encoding="utf-8")
        result = cli(
            "fetch", "aides-territoires", "--base-url", base, "-o", str(out),
            "--today", "2026-12-05", "--json", env={"CALLWATCH_AT_API_KEY": KEY},
        )  # fmt: skip
    report = json.loads(result.stdout)
    assert report["counts"]["unchanged"] == 5 and report["counts"]["updated"] == 0
    after = out.read_text(encoding="utf-8")
    assert after == before.replace("checked = 2026-12-04", "checked = 2026-12-05")


def test_a_fetched_horizon_topic_carries_its_standard_condition(
    cli: Invoke, tmp_path: Path
) -> None:
    """Issue 16: a topic fetched from the search API gets the standard RIA/IA condition
    from its type of action, marked as such, like the shipped topics."""
    out = tmp_path / "eu.toml"
    with serve(eu_pages([TWO_STAGE])) as (base, _requests):
        fetched = cli("fetch", "eu-portal", "--base-url", base, "-o", str(out), "--today", TODAY)
    assert fetched.exit_code == 0, fetched.stderr
    project = Path(__file__).resolve().parents[1] / "examples" / "horizon-ria-consortium.toml"
    checked = cli(
        "--today", "2027-02-10", "--data", str(out), "check", str(project), "--json",
        "--call", "HORIZON-CL6-2027-02-FARM2FORK-01-two-stage",
    )  # fmt: skip
    criteria = json.loads(checked.stdout)["criteria"]
    standard = [(c["id"], c["standard"]) for c in criteria if c.get("standard")]
    assert standard == [("horizon.consortium", "horizon.ria_ia")]


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_a_special_file_as_output_is_refused_before_any_request(
    cli: Invoke, tmp_path: Path, dry_run: tuple[str, ...]
) -> None:
    fifo = tmp_path / "aides.toml"
    os.mkfifo(fifo)
    with serve(Aides(AIDS)) as (base, requests):
        result = run_at(cli, base, fifo, *dry_run)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == f"callwatch: {fifo}: a FIFO, not a regular file: not written"
    assert requests == []


def test_fetch_without_a_portal_runs_the_team_file_portals(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`callwatch fetch` in a team repository: each [[fetch]] table, in order, into its
    output, with its parameters, through the same code as the sub-commands."""
    monkeypatch.delenv("CALLWATCH_TEAM")
    repo = tmp_path / "veille"
    (repo / ".git").mkdir(parents=True)
    (repo / "data").mkdir()
    (repo / "callwatch.toml").write_text(
        'data = ["data/"]\n\n[[fetch]]\nportal = "aides-territoires"\n'
        'output = "data/aides.toml"\ntext = "vélo"\n\n'
        '[[fetch]]\nportal = "eu-portal"\noutput = "data/eu.toml"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(repo)
    aides, eu = Aides(AIDS), eu_pages([TWO_STAGE, CASCADE])

    def both(request: Request) -> Answer:
        return aides(request) if request.path.startswith("/api/") else eu(request)

    with serve(both) as (base, requests):
        result = cli(
            "fetch", "--base-url", base, "--today", TODAY, env={"CALLWATCH_AT_API_KEY": KEY}
        )
    assert result.exit_code == 0, result.stderr
    assert len(calls_in(repo / "data" / "aides.toml")) == 5
    assert set(calls_in(repo / "data" / "eu.toml")) == {
        "HORIZON-CL6-2027-02-FARM2FORK-01-two-stage",
        "EUSPA-2027-CASCADE-01",
    }
    assert {r.query.get("text", [""])[0] for r in requests if r.path == "/api/aids/"} == {"vélo"}
    # the same exit statuses as the sub-commands: no key is a configuration error (78)
    with serve(both) as (base, _requests):
        assert cli("fetch", "--base-url", base, "--today", TODAY).exit_code == 78
    (repo / "callwatch.toml").write_text('data = ["data/"]\n', encoding="utf-8")
    nothing = cli("fetch")
    assert nothing.exit_code == 2 and "[[fetch]]" in nothing.stderr
