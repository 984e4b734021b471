"""What every org starts with: the rejection reasons recruiters use most, and the built-in tag."""

from __future__ import annotations

from careerrelay.candidates.models import RejectionReason, Tag
from careerrelay.orgs.models import Organization

RESCOUT_TAG = "rescout"

DEFAULT_REASONS = [
    ("skills_gap", "スキル・経験の不足", "Skills or experience gap", RejectionReason.Kind.WE_REJECTED),
    ("timing", "タイミングが合わない", "Timing", RejectionReason.Kind.WE_REJECTED),
    ("other_department", "他部署の方が適任", "Fits another department better", RejectionReason.Kind.WE_REJECTED),
    ("conditions", "条件の不一致", "Conditions mismatch", RejectionReason.Kind.WE_REJECTED),
    ("position_filled", "ポジション充足", "Position filled", RejectionReason.Kind.WE_REJECTED),
    ("culture", "カルチャー・価値観", "Culture or values", RejectionReason.Kind.WE_REJECTED),
    ("over_qualified", "オーバースペック", "Over-qualified", RejectionReason.Kind.WE_REJECTED),
    ("accepted_elsewhere", "他社に決定", "Accepted another offer", RejectionReason.Kind.THEY_WITHDREW),
    ("withdrew", "本人辞退", "Withdrew", RejectionReason.Kind.THEY_WITHDREW),
]


def install_defaults(org: Organization) -> None:
    """Idempotent: reasons and tags an org already has are left as they are."""
    for position, (code, label_ja, label_en, kind) in enumerate(DEFAULT_REASONS):
        RejectionReason.objects.get_or_create(
            org=org,
            code=code,
            defaults={"label_ja": label_ja, "label_en": label_en, "kind": kind, "position": position},
        )
    Tag.objects.get_or_create(
        org=org,
        code=RESCOUT_TAG,
        defaults={"label_ja": "再スカウト可", "label_en": "Re-scout eligible", "is_builtin": True},
    )
