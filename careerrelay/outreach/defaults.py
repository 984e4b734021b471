"""The templates every org starts with. Placeholders: {candidate_name}, {company}, {job_title},
{portal_url}, {expires_on}; introductions also {requester} and {licence_line}; re-scouts also
{jobs}, {interested_url}, {profile_url} and {stop_url}. The wording is meant to be sent as it
is: sincere, warm, plain."""

from __future__ import annotations

from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import MessageKind, MessageTemplate, RescoutRule

REJECTION_JA_BODY = """\
{candidate_name} 様

このたびは{company}の「{job_title}」にご応募いただき、誠にありがとうございました。
面接ではお忙しいなか貴重なお時間をいただき、丁寧にお話しくださったことに、心より感謝しております。

慎重に検討を重ねた結果、誠に残念ながら、今回は採用を見送らせていただくことになりました。
ご期待に添えず申し訳ございません。

選考を通じてうかがった{candidate_name}様のご経験とスキルは、私たちにとっても印象深いものでした。
そこで、ひとつご提案があります。

{company}は「キャリアリレー」という取り組みに参加しています。ご本人の同意をいただいた方に限り、
・当社で新しいポジションが生まれたときに、あらためてご案内する
・同じネットワークに参加する他の企業に、お名前や連絡先、現在の勤務先を伏せた匿名のプロフィールでご紹介する
ことができます。企業が{candidate_name}様との面談を希望したときは、必ず事前にご本人の承諾をうかがいます。

ご興味があれば、{candidate_name}様専用の下記ページから、ご希望の項目だけを選んでください。
どれも任意で、いつでもワンクリックで取り消せます。
{portal_url}

ご興味がなければ、このメールへのご対応は不要です。
{candidate_name}様の情報が、今回の選考以外の目的に使われることはありません。

これからのキャリアが実り多いものとなりますよう、心より応援しております。

{company} 採用担当
"""

REJECTION_EN_BODY = """\
Dear {candidate_name},

Thank you for applying for {job_title} at {company}, and for the time and care you gave us in \
your interviews.

After careful consideration, we have decided not to move forward with your application this \
time. We know this is not the news you were hoping for, and we are sorry.

Your experience and skills left a real impression on us, so we would like to offer you something. \
{company} takes part in Career Relay. With your permission, and only with it, we can:
- let you know when a new position opens here that fits you, and
- recommend you to other companies in our network through an anonymous profile, without your \
name, contact details or current employer. If a company would like to meet you, we will always \
ask you first.

If that sounds useful, choose what you would like on your personal page. Every option is \
optional and can be withdrawn at any time in one click:
{portal_url}

If not, there is nothing you need to do: your information will not be used for anything beyond \
your application.

We wish you every success in what comes next.

The {company} recruiting team
"""

RENEWAL_JA_BODY = """\
{candidate_name} 様

{company}です。以前、キャリアリレーについてご同意をいただき、ありがとうございました。
いただいたご同意は {expires_on} に有効期限を迎えます。

引き続きご案内やご紹介をご希望の場合は、下記のページからご同意を更新してください。
更新されない場合は、期限をもって自動的に終了し、それ以降ご連絡することはありません。
{portal_url}

このご案内は一度だけお送りしています。

{company} 採用担当
"""

RENEWAL_EN_BODY = """\
Dear {candidate_name},

This is {company}. Thank you for the consent you gave us for Career Relay. It ends on {expires_on}.

If you would like us to keep in touch, please renew it on your personal page. If you do \
nothing, it simply ends on that date and we will not contact you about it again:
{portal_url}

We send this reminder only once.

The {company} recruiting team
"""

PORTAL_LINK_JA_BODY = """\
{candidate_name} 様

{company}のキャリアリレーのページへの新しいリンクをお送りします。
{portal_url}

このリンクはあなた専用です。他の方と共有しないでください。
お心当たりのない場合は、このメールを破棄してください。

{company} 採用担当
"""

PORTAL_LINK_EN_BODY = """\
Dear {candidate_name},

Here is a new link to your Career Relay page at {company}:
{portal_url}

The link is yours alone; please do not share it. If you did not ask for it, you can ignore this email.

The {company} recruiting team
"""

INTRODUCTION_JA_BODY = """\
{candidate_name} 様

{company}です。以前ご同意いただいたキャリアリレーを通じて、あなたの匿名プロフィールをご覧になった企業から、
面談のご希望が届きましたのでお知らせします。

依頼元：{requester}
求人：{job_title}
{licence_line}
この段階では、先方にはあなたのお名前も連絡先も伝わっていません。
お会いしてみたい場合は、下記のページで「承諾する」を押してください。承諾されたときに限り、
{company}からお名前と連絡先を{requester}にお伝えします。お断りになっても、先方には何も伝わりません。
{portal_url}

回答の期限は {expires_on} です。

{company} 採用担当
"""

INTRODUCTION_EN_BODY = """\
Dear {candidate_name},

This is {company}. Through Career Relay, which you agreed to, a company that saw your anonymous \
profile would like to meet you.

From: {requester}
Position: {job_title}
{licence_line}
They do not know your name or contact details. If you would like to meet them, press "Yes" on \
the page below; only then will {company} give them your name and contact details. If you \
decline, they learn nothing.
{portal_url}

Please answer by {expires_on}.

The {company} recruiting team
"""

RESCOUT_FIRST_JA_BODY = """\
{candidate_name} 様

ご無沙汰しております。{company} 採用担当です。
以前「{job_title}」にご応募いただいた際は、本当にありがとうございました。

あのとき{candidate_name}様からうかがったお話が、今も私たちの心に残っています。
あれから当社にも新しいポジションが生まれました。{candidate_name}様のご経験が活きそうなものを、いくつかご紹介させてください。

{jobs}

少しでもご興味があれば、下のリンクを押していただくだけで、あらためてご応募いただいたことになります。担当者から折り返しご連絡します。
{interested_url}

ご経歴やご希望に変わったことがあれば、こちらから更新いただけます。
{profile_url}

今後こうしたご案内が不要でしたら、こちらからいつでも停止できます（ワンクリックで完了します）。
{stop_url}

{candidate_name}様のご同意の内容は、いつでもこちらで確認・変更できます。
{portal_url}

{candidate_name}様のご活躍を、心よりお祈りしております。

{company} 採用担当
"""

RESCOUT_FIRST_EN_BODY = """\
Dear {candidate_name},

It has been a while. This is the recruiting team at {company}.
Thank you again for applying for "{job_title}" with us.

What you told us then has stayed with us. Since then, new positions have opened here, and some
of them look like a good fit for your experience:

{jobs}

If you are interested, one click on the link below is all it takes to apply again; one of us
will get back to you.
{interested_url}

If anything has changed in your career or your wishes, you can update your profile here:
{profile_url}

If you would rather not hear from us like this, you can stop these messages with one click:
{stop_url}

You can see and change what you agreed to at any time here:
{portal_url}

With our best wishes for your career,

The {company} recruiting team
"""

RESCOUT_LATER_JA_BODY = """\
{candidate_name} 様

{company} 採用担当です。その後お変わりなくお過ごしでしょうか。

「{job_title}」の選考でお会いしてから一年ほどが経ちました。
現在、{candidate_name}様に合いそうな次のポジションを募集しています。

{jobs}

もしタイミングが合うようでしたら、ぜひもう一度お話しさせてください。下のリンクから、ワンクリックでご応募いただけます。
{interested_url}

ご経歴やご希望の更新はこちらから。
{profile_url}

ご案内の停止はこちらから（ワンクリックで完了します）。
{stop_url}

ご同意の内容の確認・変更はこちらから。
{portal_url}

またご縁がありますことを、心より願っております。

{company} 採用担当
"""

RESCOUT_LATER_EN_BODY = """\
Dear {candidate_name},

This is the recruiting team at {company}; we hope all is well with you.

About a year has passed since we met during the selection for "{job_title}". We are now hiring
for positions that may suit you:

{jobs}

If the timing is right for you, we would love to talk again. One click applies:
{interested_url}

Update your career or wishes here:
{profile_url}

Stop these messages with one click:
{stop_url}

See and change what you agreed to:
{portal_url}

We hope our paths cross again.

The {company} recruiting team
"""

DEFAULTS: dict[tuple[str, str], tuple[str, str]] = {
    (MessageKind.REJECTION, "ja"): ("【{company}】選考結果のご連絡", REJECTION_JA_BODY),
    (MessageKind.REJECTION, "en"): ("Your application to {company}", REJECTION_EN_BODY),
    (MessageKind.CONSENT_RENEWAL, "ja"): ("【{company}】ご同意の有効期限のお知らせ", RENEWAL_JA_BODY),
    (MessageKind.CONSENT_RENEWAL, "en"): ("{company}: your consent ends on {expires_on}", RENEWAL_EN_BODY),
    (MessageKind.PORTAL_LINK, "ja"): ("【{company}】ページへの新しいリンク", PORTAL_LINK_JA_BODY),
    (MessageKind.PORTAL_LINK, "en"): ("{company}: your new link", PORTAL_LINK_EN_BODY),
    (MessageKind.INTRODUCTION, "ja"): ("【{company}】{requester}から面談のご希望が届いています", INTRODUCTION_JA_BODY),
    (MessageKind.INTRODUCTION, "en"): ("{company}: {requester} would like to meet you", INTRODUCTION_EN_BODY),
    (MessageKind.RESCOUT_FIRST, "ja"): (
        "【{company}】{candidate_name}様に合いそうなポジションのご案内",
        RESCOUT_FIRST_JA_BODY,
    ),
    (MessageKind.RESCOUT_FIRST, "en"): ("{company}: new positions that may suit you", RESCOUT_FIRST_EN_BODY),
    (MessageKind.RESCOUT_LATER, "ja"): ("【{company}】その後いかがお過ごしですか", RESCOUT_LATER_JA_BODY),
    (MessageKind.RESCOUT_LATER, "en"): ("{company}: would the timing suit you now?", RESCOUT_LATER_EN_BODY),
}

DEFAULT_RULE_NAME = "半年後・1年後の再スカウト"
DEFAULT_STEP_MONTHS = [6, 12]


def install_default_templates(org: Organization) -> None:
    for (kind, language), (subject, body) in DEFAULTS.items():
        MessageTemplate.objects.get_or_create(
            org=org,
            kind=kind,
            reason=None,
            language=language,
            defaults={"subject": subject, "body": body, "updated_by": "system"},
        )
    # Case A: a re-scout half a year and a year after the rejection, to re-scout eligible people.
    if not RescoutRule.objects.filter(org=org).exists():
        RescoutRule.objects.create(
            org=org, name=DEFAULT_RULE_NAME, step_months=DEFAULT_STEP_MONTHS, require_flag=True, updated_by="system"
        )


def default_template(org: Organization, kind: str, language: str) -> MessageTemplate:
    """The built-in text, unsaved: for orgs created before a kind existed."""
    subject, body = DEFAULTS[(kind, language)]
    return MessageTemplate(org=org, kind=kind, language=language, subject=subject, body=body)
