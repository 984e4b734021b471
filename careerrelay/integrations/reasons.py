"""Map an ATS's rejection reason onto one of the org's own RejectionReasons.

1. By name: the ATS reason's name equals (after NFKC and case folding) one of the org's active
   reasons' English label, Japanese label or code.
2. By type: a reason of the "they rejected us" / withdrew kind maps to the org's `withdrew`
   reason (else its first active "they withdrew" reason).
3. Otherwise the fallback reason `ats_other` ("Other (from the ATS)"), created on first use
   (or made active again) and audited as `rejection_reason.created` / `rejection_reason.reactivated`.
The ATS's own wording is kept in the application's note either way.
"""

from __future__ import annotations

from careerrelay.candidates.models import RejectionReason
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor

FALLBACK_CODE = "ats_other"
_THEY_WORDS = ("they rejected", "withdr", "declin", "辞退")


def _key(text: str) -> str:
    return normalize(text).casefold()


def map_reason(*, actor: Actor, name: str = "", type_name: str = "") -> RejectionReason:
    """The org's reason for the ATS's `name` and `type_name` (called inside the delivery's transaction)."""
    org = actor.org
    active = list(RejectionReason.objects.filter(org=org, is_active=True))
    wanted = _key(name)
    if wanted:
        for reason in active:
            if wanted in {_key(reason.label_en), _key(reason.label_ja), _key(reason.code)}:
                return reason
    kind = _key(type_name)
    if kind and any(word in kind for word in _THEY_WORDS):
        withdrew = [reason for reason in active if reason.kind == RejectionReason.Kind.THEY_WITHDREW]
        for reason in withdrew:
            if reason.code == "withdrew":
                return reason
        if withdrew:
            return withdrew[0]
    reason, created = RejectionReason.objects.get_or_create(
        org=org,
        code=FALLBACK_CODE,
        defaults={
            "label_ja": "その他（ATS連携）",
            "label_en": "Other (from the ATS)",
            "kind": RejectionReason.Kind.WE_REJECTED,
            "position": 900,
        },
    )
    if created:
        actor.audit("rejection_reason.created", target=reason, details={"code": reason.code, "from": "ats"})
    elif not reason.is_active:
        reason.is_active = True
        reason.save(update_fields=["is_active"])
        actor.audit("rejection_reason.reactivated", target=reason, details={"code": reason.code, "from": "ats"})
    return reason
