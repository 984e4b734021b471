from __future__ import annotations

import pytest
from django.test import Client

from careerrelay.candidates.models import (
    Application,
    Candidate,
    CandidateTag,
    Evaluation,
    JobRequisition,
    MergeRecord,
    RejectionReason,
)
from careerrelay.candidates.tests.factories import apply
from careerrelay.candidates.tests.tenancy import ensure_pool
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


@pytest.fixture
def recruiter_client(client: Client, world: OrgWorld) -> Client:
    client.force_login(world.recruiter)
    return client


def test_the_nav_links_to_candidates_and_jobs(recruiter_client: Client) -> None:
    html = recruiter_client.get("/").content.decode()
    assert 'href="/candidates/"' in html
    assert 'href="/jobs/"' in html


def test_the_candidate_list_searches_and_filters(recruiter_client: Client, world: OrgWorld) -> None:
    # Compared by the candidates' links: the signed-in user's own name (from the factories'
    # rotating pool) is on every page and may be 山田 or 佐藤 美咲 too.
    yamada = apply(
        world, family_name="山田", given_name="太郎", family_name_kana="ヤマダ", email="y@example.jp", phone=""
    )
    sato = apply(world, email="other@example.jp", phone="", prefecture="大阪")
    yamada_link, sato_link = (f'href="/candidates/{a.candidate_id}/"' for a in (yamada, sato))
    html = recruiter_client.get("/candidates/", {"q": "yamada"}).content.decode()
    assert "山田 太郎" in html and yamada_link in html and sato_link not in html
    html = recruiter_client.get("/candidates/", {"prefecture": "27"}).content.decode()
    assert "佐藤 美咲" in html and sato_link in html and yamada_link not in html
    bad = recruiter_client.get("/candidates/", {"score_min": "9"})
    assert bad.status_code == 400


def test_bulk_tagging_from_the_list_flags_the_checked_candidates(recruiter_client: Client, world: OrgWorld) -> None:
    a = apply(world, email="a@example.jp", phone="").candidate_id
    apply(world, email="b@example.jp", phone="", family_name_kana="ベツ")
    response = recruiter_client.post(
        "/candidates/bulk-tag/",
        {"tag": "rescout", "action": "add", "candidate_ids": [str(a)], "next": "/candidates/?rescout=yes"},
    )
    assert response.status_code == 302 and response["Location"] == "/candidates/?rescout=yes"
    assert list(CandidateTag.objects.filter(org=world.org).values_list("candidate_id", flat=True)) == [a]
    html = recruiter_client.get("/candidates/?rescout=yes").content.decode()
    assert "a@example.jp" not in html  # emails are not listed; names and tags are
    assert "再スカウト可" in html


def test_bulk_tagging_another_orgs_candidates_is_404(
    recruiter_client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    theirs = str(ensure_pool(other_world).candidate_id)
    response = recruiter_client.post(
        "/candidates/bulk-tag/", {"tag": "rescout", "action": "add", "candidate_ids": [theirs]}
    )
    assert response.status_code == 404
    assert not CandidateTag.objects.filter(candidate_id=theirs).exists()


def test_the_candidate_page_shows_the_timeline_newest_first(recruiter_client: Client, world: OrgWorld) -> None:
    application = apply(world)
    recruiter_client.post(
        f"/applications/{application.pk}/evaluations/",
        {"interviewer": "面接官A", "stage": "1次面接", "criterion_1": "技術", "score_1": "4", "recommendation": "yes"},
    )
    html = recruiter_client.get(f"/candidates/{application.candidate_id}/").content.decode()
    assert "佐藤 美咲" in html and "サトウ" in html
    assert html.index("面接官A") < html.index("選考段階: 応募")  # the evaluation is newer than the stage "applied"
    assert Evaluation.objects.get(application=application).scores == {"技術": 4}
    assert "スキル・経験の不足 / Skills or experience gap" in html
    assert 'name="send_rejection_email" checked' in html


def test_rejecting_from_the_candidate_page(recruiter_client: Client, world: OrgWorld) -> None:
    application = apply(world)
    reason = RejectionReason.objects.get(org=world.org, code="culture")
    response = recruiter_client.post(
        f"/applications/{application.pk}/reject/",
        {"reason_id": str(reason.pk), "evaluation_summary": "誠実", "rescout_eligible": "on", "note": "半年後"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.rejection_reason, application.rescout_eligible) == (
        "rejected",
        reason,
        True,
    )
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "カルチャー・価値観" in html and "誠実" in html
    assert f'action="/applications/{application.pk}/reject/"' not in html  # closed: no reject form


def test_a_viewer_sees_the_pool_but_no_write_forms(client: Client, world: OrgWorld) -> None:
    application = apply(world)
    client.force_login(world.viewer)
    assert 'id="bulk"' not in client.get("/candidates/").content.decode()
    html = client.get(f"/candidates/{application.candidate_id}/").content.decode()
    assert "/reject/" not in html
    reason = RejectionReason.objects.get(org=world.org, code="culture")
    response = client.post(f"/applications/{application.pk}/reject/", {"reason_id": str(reason.pk)})
    assert response.status_code == 403
    assert Application.objects.get(pk=application.pk).status == "active"


def test_jobs_are_listed_and_created(recruiter_client: Client, world: OrgWorld) -> None:
    response = recruiter_client.post(
        "/jobs/",
        {
            "title": "データエンジニア",
            "prefecture": "13",
            "remote": "hybrid",
            "employment_type": "full_time",
            "headcount": "2",
            "required_skills": "SQL、Python",
        },
    )
    assert response.status_code == 302
    job = JobRequisition.objects.get(org=world.org)
    assert job.required_skills == ["SQL", "Python"]
    assert "データエンジニア" in recruiter_client.get("/jobs/").content.decode()
    bad = recruiter_client.post(
        "/jobs/", {"title": "", "remote": "onsite", "employment_type": "full_time", "headcount": "1"}
    )
    assert bad.status_code == 400


def test_duplicates_are_merged_and_undone_from_the_page(recruiter_client: Client, world: OrgWorld) -> None:
    a = apply(world, birth_year=None).candidate_id
    b = apply(world, email="other@example.jp", phone="080-5555-6666").candidate_id
    html = recruiter_client.get("/candidates/duplicates/").content.decode()
    assert "同じカナ氏名" in html or "Same kana name" in html
    recruiter_client.post("/candidates/merges/", {"survivor_id": str(a), "merged_id": str(b)})
    merge = MergeRecord.objects.get(org=world.org)
    assert f"/candidates/merges/{merge.pk}/revert/" in recruiter_client.get("/candidates/duplicates/").content.decode()
    recruiter_client.post(f"/candidates/merges/{merge.pk}/revert/")
    merge.refresh_from_db()
    assert merge.status == "reverted"
    assert Application.objects.filter(candidate_id=b).count() == 1


def test_merging_another_orgs_candidates_from_the_page_is_404(
    recruiter_client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    mine = str(apply(world).candidate_id)
    theirs = str(ensure_pool(other_world).candidate_id)
    response = recruiter_client.post("/candidates/merges/", {"survivor_id": mine, "merged_id": theirs})
    assert response.status_code == 404
    assert not MergeRecord.objects.filter(org=world.org).exists()


def test_the_candidate_page_shows_codes_in_words_and_phones_the_japanese_way(client: Client, world: OrgWorld) -> None:
    from careerrelay.candidates.tests.factories import apply

    application = apply(world)
    client.force_login(world.recruiter)
    html = client.get(f"/candidates/{application.candidate.pk}/").content.decode()
    assert "090-1234-5678" in html
    assert "選考段階: 応募" in html


def test_bulk_tagging_a_forged_id_is_refused_not_a_500(client: Client, world: OrgWorld) -> None:
    client.force_login(world.recruiter)
    response = client.post("/candidates/bulk-tag/", {"tag": "rescout", "action": "add", "candidate_ids": ["nope"]})
    assert response.status_code < 500


def test_the_duplicates_page_dismisses_a_pair(recruiter_client: Client, world: OrgWorld) -> None:
    from careerrelay.candidates.models import DuplicateDismissal

    a = apply(world, birth_year=None, email="misaki@mirai-kogyo.co.jp").candidate_id
    b = apply(world, email="m.sato@mirai-kogyo.co.jp", phone="080-5555-6666").candidate_id
    page = recruiter_client.get("/candidates/duplicates/").content.decode()
    assert 'action="/candidates/duplicates/dismiss/"' in page and "別人です" in page
    response = recruiter_client.post("/candidates/duplicates/dismiss/", {"first_id": str(a), "second_id": str(b)})
    assert response.status_code == 302
    assert DuplicateDismissal.objects.filter(org=world.org).count() == 1
    after = recruiter_client.get("/candidates/duplicates/").content.decode()
    assert 'action="/candidates/duplicates/dismiss/"' not in after


def test_dismissing_a_pair_with_another_orgs_record_from_the_page_is_404(
    recruiter_client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    from careerrelay.candidates.models import DuplicateDismissal

    mine = str(apply(world).candidate_id)
    theirs = str(ensure_pool(other_world).candidate_id)
    response = recruiter_client.post("/candidates/duplicates/dismiss/", {"first_id": mine, "second_id": theirs})
    assert response.status_code == 404
    assert not DuplicateDismissal.objects.exists()


def test_prefectures_are_named_in_the_readers_language(recruiter_client: Client, world: OrgWorld) -> None:
    application = apply(world, prefecture="27", email="osaka@example.jp", phone="")
    page = f"/candidates/{application.candidate_id}/"
    for path in ("/candidates/", page):
        assert "大阪府" in recruiter_client.get(path).content.decode()
    world.recruiter.language = "en"
    world.recruiter.save(update_fields=["language"])
    for path in ("/candidates/", page):
        html = recruiter_client.get(path).content.decode()
        assert "Osaka" in html and "大阪府" not in html


def test_the_pool_page_and_the_api_list_cost_the_same_queries_for_2_or_20_candidates(
    recruiter_client: Client, world: OrgWorld
) -> None:
    """The lists leave the résumé and the other long columns out (`pool_summaries`): a template or
    schema that read one of them would cost a query per row, and the count would grow."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = Client(HTTP_AUTHORIZATION=f"Bearer {world.recruiter_key}")

    def queries() -> tuple[int, int]:
        counts = []
        for client, path in ((recruiter_client, "/candidates/"), (api, "/api/v1/candidates")):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts[0], counts[1]

    for n in range(2):
        apply(world, email=f"few{n}@example.jp", phone="", birth_year=1970 + n, resume_text="Python 10年")
    queries()  # the first visit also stores the session's org and the key's last use
    few = queries()
    for n in range(18):
        apply(world, email=f"many{n}@example.jp", phone="", birth_year=1980 + n, resume_text="Python 10年")
    assert Candidate.objects.filter(org=world.org).count() >= 20  # twenty people, not re-applications of one
    assert queries() == few


def test_the_rescout_filter_answers_yes_or_no_not_a_recommendation(recruiter_client: Client) -> None:
    """ "Yes" alone is an interviewer's recommendation (推薦); the filter's answers are はい / いいえ."""
    html = recruiter_client.get("/candidates/").content.decode()
    assert '<option value="yes">はい</option>' in html and '<option value="no">いいえ</option>' in html


def test_a_pool_row_shows_the_score_the_day_in_tokyo_and_escapes_what_people_typed(
    recruiter_client: Client, world: OrgWorld
) -> None:
    """The rows are a Jinja2 fragment (web/jinja2/web/pool_rows.html): the same filters as the
    Django templates, the date in Asia/Tokyo, everything escaped."""
    from datetime import UTC, datetime

    application = apply(world, current_title="<b>Lead</b> & co", email="row@example.jp", phone="")
    Candidate.objects.filter(pk=application.candidate_id).update(created_at=datetime(2026, 3, 31, 16, 30, tzinfo=UTC))
    Evaluation.objects.create(org=world.org, application=application, interviewer="田中", stage="一次", overall="3.5")
    html = recruiter_client.get("/candidates/").content.decode()
    assert "<td>3.50</td>" in html
    assert "<td>2026-04-01</td>" in html  # 01:30 on 1 April in Tokyo
    assert "&lt;b&gt;Lead&lt;/b&gt; &amp; co" in html and "<b>Lead" not in html
    assert f'href="/candidates/{application.candidate_id}/"' in html
