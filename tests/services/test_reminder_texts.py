"""Every reminder text, with realistic long names, is GSM-7 and fits one SMS (the staff digest
two), in Kinyarwanda, English and French."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from locales import LANGUAGES, translate
from models import Cooperative, LedgerEntry, Stage, StageChange, Training, Vsla
from services.gsm7 import encode
from services.reminder_rules import (
    LOAN_REPAYMENT,
    MISSING_REPORT,
    RULES,
    STAGE_CHANGED,
    STALLED_REGISTRATIONS,
    TRAINING_SOON,
    TRAINING_TOMORROW,
    VSLA_MEETING,
    LoanDue,
    Meeting,
    ReportWeek,
    Rule,
    StalledDigest,
)

TZ = ZoneInfo("Africa/Kigali")
NAME = "Nyiramahoro Uwimana Claudine"  # 28 characters
GROUP = Vsla(name="Twiyubake Gisenyi", meeting_place="Ku biro by'akagari ka Mbugangari")
WHEN = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday, 14:00 in Kigali
TRAINING = Training(
    topic="Cooperative governance", starts_at=WHEN, venue="Ku biro by'Umurenge wa Gisenyi"
)
COOPERATIVE = "Abakora Neza Gisenyi"

SUBJECTS = {
    TRAINING_TOMORROW: TRAINING,
    TRAINING_SOON: TRAINING,
    VSLA_MEETING: Meeting(GROUP, WHEN),
    LOAN_REPAYMENT: LoanDue(LedgerEntry(due_date=date(2026, 12, 4), vsla=GROUP), 125_000),
    MISSING_REPORT: ReportWeek(date(2026, 12, 4)),
}


def render(rule: Rule, subject: object, lang: str) -> str:
    return translate(lang, rule.message, name=NAME, **rule.values(subject, lang, TZ))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("rule", list(SUBJECTS), ids=lambda rule: rule.name)
def test_a_reminder_fits_one_gsm7_sms(rule: Rule, lang: str) -> None:
    encoded = encode(render(rule, SUBJECTS[rule], lang))
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1), encoded.text


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("stage", [s for s in Stage if s is not Stage.REJECTED])
def test_a_stage_change_fits_one_gsm7_sms(stage: Stage, lang: str) -> None:
    cooperative = Cooperative(name=COOPERATIVE, stage=stage, certificate_no="RCA/2026/0417")
    encoded = encode(render(STAGE_CHANGED, StageChange(stage=stage, cooperative=cooperative), lang))
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1), encoded.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_staff_digest_fits_two_gsm7_sms(lang: str) -> None:
    oldest = (("Koperative Twisungane Gisenyi", 176), ("Abakora Neza Gisenyi", 95), ("Dukore", 61))
    encoded = encode(render(STALLED_REGISTRATIONS, StalledDigest(30, 128, oldest), lang))
    assert encoded.encoding == "GSM-7" and encoded.segments <= 2, encoded.text
    assert "Koperative Twisungan (176)" in encoded.text  # names cut at 20 characters


def test_no_kinyarwanda_text_says_urwibutso() -> None:
    """`urwibutso` means memorial, never reminder."""
    assert not [r.name for r in RULES if "urwibutso" in translate("rw", r.message).lower()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_rejection_every_member_reads_fits_one_gsm7_sms(lang: str) -> None:
    """As `deliver` fills it: the person's name cut to 20, the reason to 30 characters."""
    from locales.formatting import short

    cooperative = Cooperative(
        name="Koperative Abakora Neza ya Gisenyi",
        stage=Stage.REJECTED,
        rejection_reason="The statutes were not signed by every founding member of the cooperative",
    )
    change = StageChange(stage=Stage.REJECTED, cooperative=cooperative)
    values = STAGE_CHANGED.values(change, lang, TZ)
    encoded = encode(translate(lang, STAGE_CHANGED.message, name=short(NAME, 20), **values))
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1), encoded.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_officials_digest_fits_one_gsm7_sms(lang: str) -> None:
    from locales.formatting import short
    from services.reminder_rules import OFFICIALS_DIGEST, OfficialDigest

    oldest = (("Koperative Twisungane Gisenyi", 176), ("Abakora Neza Gisenyi", 95), ("Dukore", 61))
    digest = OfficialDigest(1, "Nyamyumba Rubavu Gisenyi", 12, oldest)
    values = OFFICIALS_DIGEST.values(digest, lang, TZ)
    encoded = encode(translate(lang, OFFICIALS_DIGEST.message, name=short(NAME, 20), **values))
    assert (encoded.encoding, encoded.segments) == ("GSM-7", 1), encoded.text
