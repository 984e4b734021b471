"""End to end on PostgreSQL: `careerrelay serve` connected AS THE APP ROLE (row-level security
applies) to the test database. The pages and the API still show each org its own rows, a foreign
id is a 404, and the parts that cross orgs on purpose (the relay's partner views, the candidate
portal) still work through the explicit system scope. A scope left out anywhere would show up
here as an empty page or a 404 where the owner-connected suite passes."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from careerrelay.accounts.models import User
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.core.models import JobRun
from careerrelay.core.tenancy_rls import grant_app_role
from careerrelay.integrations.models import WebhookDelivery
from careerrelay.integrations.services import endpoint_create
from careerrelay.integrations.signatures import greenhouse_signature
from careerrelay.orgs.tests.factories import MembershipFactory, OrgWorld
from careerrelay.outreach.links import message_token
from careerrelay.outreach.models import ScheduledMessage
from careerrelay.outreach.planner import compose_rescout_messages
from careerrelay.outreach.tests.rescout_helpers import rejected as rescout_rejected
from careerrelay.outreach.tests.test_rescout_links import DUE, REJECTED_AT
from careerrelay.relay.models import SharedProfile
from careerrelay.relay.sharing import share_all_eligible
from careerrelay.relay.tests.factories import Relay, admin_of, make_relay, rejected_with_consent

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row-level security is a PostgreSQL feature; on SQLite the app-layer probes are the proof",
)

APP_ROLE = "careerrelay_test_app"
PASSWORD = "rls-e2e-パスワード-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base: str
    log: Path


@pytest.fixture
def app_server(transactional_db: None, tmp_path: Path) -> Iterator[Server]:
    grant_app_role(APP_ROLE)
    params = connection.settings_dict
    url = f"postgres://{APP_ROLE}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": settings.SECRET_KEY,  # the portal's signed links must check
        "CAREERRELAY_VAR_DIR": str(tmp_path),
        "CAREERRELAY_DB_CONN_MAX_AGE": "600",  # one reused connection per thread: no org may leak
    }
    with log.open("w") as out:
        # One worker, one thread: every request reuses the same connection.
        process = subprocess.Popen(
            [sys.executable, "-m", "careerrelay.cli", "serve", f"127.0.0.1:{port}", "--workers", "1", "--threads", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(log.read_text()) from None
                    time.sleep(0.2)
            yield Server(base=base, log=log)
        finally:
            process.terminate()
            process.wait(timeout=15)


class Browser:
    """Cookies, CSRF and no redirects followed: enough of a browser for server-drawn pages."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect())

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        return self._send(urllib.request.Request(self.server.base + path, headers=headers or {}))  # noqa: S310

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(  # noqa: S310
            self.server.base + path, data=body, headers={"Referer": self.server.base + path}
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, user: User) -> None:
        status, page = self.get("/login/")
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        status, page = self.post(
            "/login/", {"csrfmiddlewaretoken": token.group(1), "email": user.email, "password": PASSWORD}
        )
        assert status == 302, (status, page[:500], self.server.log.read_text()[-3000:])

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken" and cookie.value)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _can_log_in(*users: User) -> None:
    # The suite hashes with MD5 for speed; the server runs the real settings, which do not read it.
    for user in users:
        User.objects.filter(pk=user.pk).update(
            password=PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
        )


def _api(server: Server, key: str, path: str) -> tuple[int, Any]:
    status, body = Browser(server).get("/api/v1" + path, headers={"Authorization": f"Bearer {key}"})
    return status, json.loads(body) if body else None


@pytest.fixture
def relay_world(transactional_db: None, world: OrgWorld, other_world: OrgWorld) -> Relay:
    relay = make_relay(world)
    for n in range(3):
        rejected_with_consent(world, n)
    share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    Candidate.objects.create(org=other_world.org, family_name="他社太郎", email="other@beta.example.jp")
    _can_log_in(world.recruiter, other_world.recruiter, relay.partner.recruiter, relay.operator.admin)
    return relay


def test_a_recruiter_sees_only_their_orgs_pool_and_api_as_the_app_role(
    relay_world: Relay, world: OrgWorld, other_world: OrgWorld, app_server: Server
) -> None:
    mine = list(Candidate.objects.filter(org=world.org))
    theirs = Candidate.objects.get(org=other_world.org)
    browser = Browser(app_server)
    browser.login(world.recruiter)
    status, page = browser.get("/candidates/")
    assert status == 200
    assert "高峰" in page and "他社太郎" not in page
    status, page = browser.get(f"/candidates/{mine[0].pk}/")
    assert status == 200
    assert relay_world.network.name in page  # the network to share into is run by another org (the operator)
    assert browser.get(f"/candidates/{theirs.pk}/")[0] == 404
    assert browser.get("/")[0] == 200
    assert browser.get("/settings/audit/")[0] in {200, 403}

    status, body = _api(app_server, world.recruiter_key, "/candidates?limit=100")
    assert status == 200, body
    assert {item["id"] for item in body["items"]} == {str(c.pk) for c in mine}
    assert _api(app_server, world.recruiter_key, f"/candidates/{theirs.pk}")[0] == 404
    assert _api(app_server, world.recruiter_key, f"/candidates/{mine[0].pk}")[0] == 200
    # The same server, the next request on the same connection, for the other org.
    status, body = _api(app_server, other_world.recruiter_key, "/candidates?limit=100")
    assert status == 200
    assert {item["id"] for item in body["items"]} == {str(theirs.pk)}
    other = Browser(app_server)
    other.login(other_world.recruiter)
    status, page = other.get("/candidates/")
    assert status == 200 and "他社太郎" in page and "高峰" not in page


def test_the_relay_and_the_portal_still_cross_orgs_through_the_system_scope(
    relay_world: Relay, world: OrgWorld, app_server: Server
) -> None:
    published = list(SharedProfile.objects.filter(network=relay_world.network, status=SharedProfile.Status.PUBLISHED))
    assert published, "the fixture shares profiles"
    partner = Browser(app_server)
    partner.login(relay_world.partner.recruiter)
    status, page = partner.get(f"/relay/networks/{relay_world.network.pk}/profiles/")
    assert status == 200
    assert any(str(profile.pk) in page for profile in published)
    assert partner.get(f"/relay/profiles/{published[0].pk}/")[0] == 200
    assert partner.get("/relay/")[0] == 200

    status, body = _api(
        app_server, relay_world.partner.recruiter_key, f"/relay/profiles?network_id={relay_world.network.pk}"
    )
    assert status == 200, body
    assert {item["id"] for item in body["items"]} & {str(profile.pk) for profile in published}

    operator = Browser(app_server)
    operator.login(relay_world.operator.admin)
    status, page = operator.get(f"/relay/networks/{relay_world.network.pk}/dashboard/")
    assert status == 200
    assert world.org.name in page and relay_world.partner.org.name in page  # the members' rows

    person = Candidate.objects.filter(org=world.org).first()
    assert person is not None
    status, page = Browser(app_server).get(f"/p/{portal_token(person)}/")
    assert status == 200, app_server.log.read_text()[-3000:]
    assert relay_world.partner.org.name in page  # the network's companies: other orgs, read in the system scope
    assert "Python" in page  # the person's own shared profile, in their org


def test_the_worker_runs_every_job_as_the_app_role_in_the_system_scope(
    relay_world: Relay, world: OrgWorld, tmp_path: Path
) -> None:
    grant_app_role(APP_ROLE)
    params = connection.settings_dict
    url = f"postgres://{APP_ROLE}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": settings.SECRET_KEY, "CAREERRELAY_VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "careerrelay.cli", "worker", "--once", "--force"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    runs = list(JobRun.objects.all())
    assert runs, result.stderr[-3000:]
    assert [(run.name, run.last_error) for run in runs if run.last_error] == []
    assert all(run.last_finished_at is not None for run in runs)


def test_switching_org_accepting_an_invitation_and_a_rescout_link_work_as_the_app_role(
    relay_world: Relay, world: OrgWorld, other_world: OrgWorld, app_server: Server
) -> None:
    MembershipFactory(org=other_world.org, user=world.recruiter, role="recruiter")
    invitation = MembershipFactory(org=other_world.org, user=relay_world.partner.recruiter, accepted_at=None)
    browser = Browser(app_server)
    browser.login(world.recruiter)
    status, _page = browser.post(
        "/org/switch/", {"csrfmiddlewaretoken": browser.csrf(), "org_id": str(other_world.org.pk)}
    )
    assert status == 302
    status, page = browser.get("/candidates/")
    assert status == 200 and "他社太郎" in page and "高峰" not in page

    invited = Browser(app_server)
    invited.login(relay_world.partner.recruiter)
    status, page = invited.get("/")
    assert status == 200 and other_world.org.name in page  # the pending invitation's banner
    status, _page = invited.post(f"/invitations/{invitation.pk}/accept/", {"csrfmiddlewaretoken": invited.csrf()})
    assert status == 302
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None

    application = rescout_rejected(world, REJECTED_AT)
    with clock.frozen_at(DUE):
        compose_rescout_messages(DUE)
    message = ScheduledMessage.objects.get(candidate=application.candidate, kind="rescout_1")
    status, _page = Browser(app_server).get(f"/p/m/{message_token(message.pk)}/profile/")
    assert status == 302  # resolved through the system scope, then on to the person's portal page


def test_an_ats_webhook_finds_its_orgs_secret_and_stores_the_delivery_as_the_app_role(
    world: OrgWorld, other_world: OrgWorld, app_server: Server
) -> None:
    _endpoint, secret = endpoint_create(actor=admin_of(world), provider="greenhouse")

    def deliver(slug: str, body: bytes) -> tuple[int, str]:
        request = urllib.request.Request(  # noqa: S310
            f"{app_server.base}/hooks/greenhouse/{slug}",
            data=body,
            headers={"Content-Type": "application/json", "Signature": greenhouse_signature(secret, body)},
        )
        return Browser(app_server)._send(request)

    assert deliver(world.org.slug, b'{"action": "ping"}') == (200, '{"status": "ping"}')
    status, _body = deliver(world.org.slug, b'{"action": "candidate_hired", "payload": {}}')
    assert status == 200
    assert WebhookDelivery.objects.filter(org=world.org, event="candidate_hired").count() == 1
    assert deliver(other_world.org.slug, b'{"action": "ping"}')[0] == 401  # the other org has no such secret
