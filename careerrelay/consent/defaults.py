"""The policy texts every org starts with (version 1), in Japanese and English. Admins edit them;
a version that someone has agreed to is never changed, the edit becomes the next version."""

from __future__ import annotations

NOTICE = {
    "ja": (
        "{org}（以下「当社」）は、あなたが選考でご提供くださった情報（氏名、連絡先、職務経歴、"
        "選考の記録）を、ご応募の選考のために保管しています。以下のいずれかにご同意いただいた場合に限り、"
        "その目的のためにも利用します。同意はいつでも、このページからワンクリックで撤回できます。"
        "撤回・削除のご依頼は、当社の採用業務に不利益なく扱われます。"
    ),
    "en": (
        '{org} ("we") keeps the information you gave us during your application (your name, contact '
        "details, work history and the record of the selection) for that application. We use it for the "
        "purposes below only if you agree to them. You can withdraw any of them at any time from this page "
        "in one click; asking us to withdraw or erase never counts against you."
    ),
}

STATEMENTS = {
    "recontact": {
        "ja": "新しいポジションが生まれたとき、{org}からあなたにご案内のメールをお送りすることに同意します。",
        "en": "I agree that {org} may email me when a new position opens that fits me.",
    },
    "newsletter": {
        "ja": "{org}のブログ記事やイベントなどのお知らせをメールで受け取ることに同意します。",
        "en": "I agree to receive news from {org} by email: blog posts, events and updates.",
    },
    "relay_share": {
        "ja": (
            "{org}が参加するキャリアリレー・ネットワークの企業に、氏名・連絡先・現在の勤務先を含まない"
            "匿名のプロフィール（スキル、希望職種、地域、経験年数の目安）を紹介することに同意します。"
            "企業があなたとの面談を希望したときは、必ず事前にあなたの承諾を求めます。"
        ),
        "en": (
            "I agree that {org} may show an anonymous profile of me (skills, desired roles, region, "
            "experience band; never my name, contact details or current employer) to companies in its "
            "Career Relay network. If a company wants to meet me, I will be asked first."
        ),
    },
    "disclose": {
        "ja": "{org}が、私の氏名と連絡先を{company}に提供することに同意します（この企業のみ）。",
        "en": "I agree that {org} may give my name and contact details to {company} (this company only).",
    },
}
