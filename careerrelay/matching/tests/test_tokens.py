"""The Japanese-aware tokenizer: CJK bigrams, Latin words, role words across languages."""

from __future__ import annotations

from careerrelay.matching.tokens import overlap, tokens


def test_japanese_titles_written_differently_share_bigrams() -> None:
    a, b = tokens("バックエンドエンジニア"), tokens("エンジニア（バックエンド）")
    assert overlap(a, b) > 0.8


def test_hiragana_katakana_width_and_long_vowels_do_not_matter() -> None:
    assert tokens("ｻｰﾊﾞｰ") == tokens("さーばー") == tokens("サーバ")


def test_latin_words_are_lower_cased_and_english_roles_meet_their_japanese() -> None:
    english, japanese = tokens("Senior Backend ENGINEER"), tokens("バックエンドエンジニア")
    assert {"senior", "backend", "engineer"} <= english
    assert overlap(japanese, english) > 0.8


def test_unrelated_titles_share_nothing() -> None:
    assert overlap(tokens("経理"), tokens("看護師")) == 0.0
