from __future__ import annotations

import re

import pytest
from django.test import Client

from careerrelay.accounts.models import AuditEvent, SystemEmail, User
from careerrelay.orgs.models import ApiKey, Membership
from careerrelay.orgs.selectors import apikey_lookup
from careerrelay.orgs.tests.factories import TEST_PASSWORD, MembershipFactory, OrganizationFactory, OrgWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, world: OrgWorld) -> Client:
    client.force_login(world.admin)
    return client


def test_home_shows_the_orgs_real_figures_in_japanese(admin_client: Client, world: OrgWorld) -> None:
    html = admin_client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ja">' in html
    assert re.search(r'data-figure="members">\s*3<', html)
    assert re.search(r'data-figure="api-keys">\s*3<', html)
    assert "最近のアクティビティ" in html
    assert "apikey.created" in html


def test_the_language_switch_is_remembered_for_the_user(admin_client: Client, world: OrgWorld) -> None:
    response = admin_client.post("/language/", {"language": "en", "next": "/settings/members/"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/members/"
    assert User.objects.get(pk=world.admin.pk).language == "en"
    html = admin_client.get("/settings/members/").content.decode()
    assert '<html lang="en">' in html and "Add a member" in html
    fresh = Client()
    fresh.force_login(User.objects.get(pk=world.admin.pk))
    assert "Add a member" in fresh.get("/settings/members/").content.decode()


def test_an_anonymous_visitor_gets_japanese_unless_they_chose_english(client: Client) -> None:
    assert "ログイン" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.post("/language/", {"language": "en", "next": "/login/"})
    assert "Forgot your password?" in client.get("/login/").content.decode()


def test_a_member_of_two_orgs_switches_between_them(client: Client, world: OrgWorld) -> None:
    second = OrganizationFactory(slug="second", name="第二株式会社")
    MembershipFactory(org=second, user=world.recruiter, role="viewer")
    client.force_login(world.recruiter)
    html = client.get("/").content.decode()
    assert world.org.name in html and "第二株式会社" in html  # the switcher lists both
    response = client.post("/org/switch/", {"org_id": str(second.pk)}, follow=True)
    assert "第二株式会社 に切り替えました。" in response.content.decode()
    assert "<h1>第二株式会社</h1>" in response.content.decode()


def test_a_user_without_an_org_is_told_so(client: Client, db: None) -> None:
    loner = User.objects.create_user("loner@example.jp", "x")
    client.force_login(loner)
    response = client.get("/")
    assert response.status_code == 403
    assert "所属組織がありません" in response.content.decode()


def test_an_admin_adds_changes_and_removes_a_member(admin_client: Client, world: OrgWorld) -> None:
    response = admin_client.post("/settings/members/", {"email": "新人@example.jp", "role": "recruiter"})
    assert response.status_code == 400  # not a valid address: the form says which field
    assert "email" in response.content.decode()
    response = admin_client.post("/settings/members/", {"email": "newbie@example.jp", "role": "recruiter"})
    assert response.status_code == 302
    membership = Membership.objects.get(org=world.org, user__email="newbie@example.jp")
    assert SystemEmail.objects.filter(to="newbie@example.jp").exists()
    admin_client.post(f"/settings/members/{membership.pk}/role/", {"role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == "viewer"
    admin_client.post(f"/settings/members/{membership.pk}/remove/")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = set(AuditEvent.objects.filter(org=world.org).values_list("action", flat=True))
    assert {"member.invited", "member.role_changed", "member.removed"} <= actions


def test_an_invited_person_accepts_from_the_banner(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    client.force_login(world.admin)
    client.post("/settings/members/", {"email": other_world.recruiter.email, "role": "viewer"})
    listing = client.get("/settings/members/").content.decode()
    assert "招待中" in listing
    assert other_world.recruiter.display_name not in listing  # names stay private until they accept
    client.force_login(other_world.recruiter)
    home = client.get("/").content.decode()
    assert f"{world.org.name} に閲覧者として招待されています。" in home
    invitation = Membership.objects.get(org=world.org, user=other_world.recruiter)
    response = client.post(f"/invitations/{invitation.pk}/accept/", follow=True)
    assert f"<h1>{world.org.name}</h1>" in response.content.decode()
    invitation.refresh_from_db()
    assert not invitation.is_pending


def test_removing_the_last_admin_is_refused_with_a_message(admin_client: Client, world: OrgWorld) -> None:
    own = world.membership(world.admin)
    response = admin_client.post(f"/settings/members/{own.pk}/remove/", follow=True)
    assert "組織には少なくとも 1 人の管理者が必要です。" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_viewer_sees_members_but_cannot_change_them(client: Client, world: OrgWorld) -> None:
    client.force_login(world.viewer)
    page = client.get("/settings/members/").content.decode()
    assert world.admin.email in page and "メンバーを追加" not in page
    response = client.post("/settings/members/", {"email": "x@example.jp", "role": "admin"})
    assert response.status_code == 403
    assert not User.objects.filter(email="x@example.jp").exists()
    assert client.get("/settings/audit/").status_code == 403


def test_a_new_api_key_is_shown_once_and_works(admin_client: Client, world: OrgWorld) -> None:
    response = admin_client.post("/settings/api-keys/", {"name": "人事システム", "role": "viewer"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    match = re.search(r"data-new-key>(cr_[^<]+)<", response.content.decode())
    assert match is not None
    plaintext = match.group(1)
    key = apikey_lookup(plaintext)
    assert key is not None and key.name == "人事システム" and key.org == world.org
    assert plaintext not in admin_client.get("/settings/api-keys/").content.decode()


def test_revoking_a_key_from_the_page(admin_client: Client, world: OrgWorld) -> None:
    key = ApiKey.objects.get(org=world.org, name="viewer key")
    response = admin_client.post(f"/settings/api-keys/{key.pk}/revoke/", follow=True)
    assert "キー「viewer key」を無効化しました。" in response.content.decode()
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_the_audit_log_pages_with_a_cursor(admin_client: Client, world: OrgWorld) -> None:
    for index in range(55):
        AuditEvent.objects.create(org=world.org, action=f"test.event{index}", actor_label="test")
    first = admin_client.get("/settings/audit/").content.decode()
    cursor = re.search(r'href="\?cursor=([^"]+)"', first)
    assert cursor is not None
    second = admin_client.get(f"/settings/audit/?cursor={cursor.group(1)}").content.decode()
    assert second.count("<tr>") >= 1
    assert admin_client.get("/settings/audit/?cursor=garbage!").status_code == 302


def test_unknown_pages_get_a_localised_404(client: Client, db: None) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_a_person_edits_their_own_profile_and_language(admin_client: Client, world: OrgWorld) -> None:
    response = admin_client.post(
        "/account/",
        {
            "form": "profile",
            "family_name": "鈴木",
            "given_name": "一郎",
            "family_name_kana": "ｽｽﾞｷ",
            "given_name_kana": "イチロウ",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(pk=world.admin.pk)
    assert (user.display_name, user.family_name_kana, user.language) == ("鈴木 一郎", "スズキ", "en")
    assert "Your profile was saved." in admin_client.get("/account/").content.decode()
    assert AuditEvent.objects.filter(action="user.profile_updated", actor=user).exists()


def test_changing_the_password_needs_the_current_one_and_keeps_the_session(
    admin_client: Client, world: OrgWorld
) -> None:
    wrong = admin_client.post(
        "/account/",
        {
            "form": "password",
            "current_password": "nope",
            "new_password": "a fresh passphrase 7",
            "new_password_again": "a fresh passphrase 7",
        },
    )
    assert wrong.status_code == 400
    assert "現在のパスワードが正しくありません。" in wrong.content.decode()
    weak = admin_client.post(
        "/account/",
        {
            "form": "password",
            "current_password": TEST_PASSWORD,
            "new_password": "12345678901",
            "new_password_again": "12345678901",
        },
    )
    assert weak.status_code == 400
    mismatch = admin_client.post(
        "/account/",
        {
            "form": "password",
            "current_password": TEST_PASSWORD,
            "new_password": "a fresh passphrase 7",
            "new_password_again": "another passphrase",
        },
    )
    assert "新しいパスワードが一致しません。" in mismatch.content.decode()
    done = admin_client.post(
        "/account/",
        {
            "form": "password",
            "current_password": TEST_PASSWORD,
            "new_password": "a fresh passphrase 7",
            "new_password_again": "a fresh passphrase 7",
        },
    )
    assert done.status_code == 302
    assert User.objects.get(pk=world.admin.pk).check_password("a fresh passphrase 7")
    assert admin_client.get("/").status_code == 200  # still signed in


def test_only_admins_see_the_orgs_activity_on_the_home_page(client: Client, world: OrgWorld) -> None:
    AuditEvent.objects.create(org=world.org, action="member.removed", actor_label="x", ip_address="198.51.100.99")
    client.force_login(world.admin)
    assert "198.51.100.99" in client.get("/").content.decode()
    client.force_login(world.viewer)
    page = client.get("/").content.decode()
    assert "198.51.100.99" not in page
    assert "あなたの最近の操作" in page
