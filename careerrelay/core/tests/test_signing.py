from django.core import signing

from careerrelay.core.signing import signer


def test_tokens_are_djangos_own_both_ways() -> None:
    ours = signer("careerrelay.test.v1")
    theirs = signing.Signer(salt="careerrelay.test.v1")
    payload = {"c": "0f" * 16, "i": 1764000000}
    assert ours.sign("abc") == theirs.sign("abc")
    assert ours.sign_object(payload, compress=True) == theirs.sign_object(payload, compress=True)
    assert theirs.unsign_object(ours.sign_object(payload)) == payload
    assert ours.unsign(theirs.sign("abc")) == "abc"


def test_another_salt_or_secret_signs_differently(settings: object) -> None:
    first = signer("careerrelay.test.v1").sign("abc")
    assert signer("careerrelay.test.v2").sign("abc") != first
    settings.SECRET_KEY = "another secret key for this test, long enough to be a real one"  # type: ignore[attr-defined]
    assert signer("careerrelay.test.v1").sign("abc") != first
    try:
        signing.Signer(salt="careerrelay.test.v1").unsign(first)
    except signing.BadSignature:
        pass
    else:
        raise AssertionError("a token signed with the old secret still passed")


def test_a_tampered_token_is_refused() -> None:
    token = signer("careerrelay.test.v1").sign("abc")
    try:
        signer("careerrelay.test.v1").unsign(token[:-1] + ("A" if token[-1] != "A" else "B"))
    except signing.BadSignature:
        return
    raise AssertionError("a tampered token passed")
