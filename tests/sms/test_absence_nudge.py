"""After the first days of a run of absences, the trainee gets one SMS asking them to come back
(their trainer is told it was sent), before the two-week alert; once per run."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from support import factories as f
from support.sms import TRAINER_RW, dm, last_reply, post_sms, sent_to, texts_to, trainee
from support.ussd import Phone

from locales.formatting import format_day
from models import Absence, AbsenceCase, AbsenceReason
from models.at_risk import monday

GRACE = "+250788200042"


def test_a_first_week_of_absence_texts_the_trainee_once(client, context, world) -> None:
    with context.db.session() as s:
        grace = trainee(s, "T0042")
        f.intake(
            s,
            grace.vtc,
            "Tailoring",
            world.start,
            world.today + timedelta(days=60),
            trainees=(grace,),
        )
    m = monday(world.today)

    def absent(days_before_monday: int, code: str = "T0042") -> None:
        post_sms(client, TRAINER_RW, f"SIBA {code} {dm(m - timedelta(days=days_before_monday))}")

    absent(20)
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=19))} urugendo")
    assert texts_to(context, GRACE, "absence_nudge") == []
    with context.db.session() as s:
        reasons = s.scalars(select(Absence.reason).order_by(Absence.day)).all()
        assert reasons == [AbsenceReason.UNKNOWN, AbsenceReason.TRANSPORT]  # the SMS word
    absent(18)
    assert last_reply(context, TRAINER_RW).startswith("Yasibye")
    since = m - timedelta(days=20)
    assert texts_to(context, GRACE, "absence_nudge") == [
        f"Ishimwe Grace, wasibye amahugurwa inshuro 3 kuva {since:%d/%m/%Y} muri Gisenyi VTC "
        "(Ubudozi). Garuka. Hamagara umwarimu: 0788100010"
    ]
    assert texts_to(context, TRAINER_RW, "absence_nudge") == [
        f"Twoherereje SMS Ishimwe Grace (T0042), wasibye inshuro 3 kuva {since:%d/%m/%Y}, ngo "
        "agaruke. Nawe muhamagare: 0788200042"
    ]
    # the same run, reported late on both ends: no second SMS
    absent(21)
    absent(17)
    assert len(texts_to(context, GRACE, "absence_nudge")) == 1
    assert len(texts_to(context, TRAINER_RW, "absence_nudge")) == 1
    # everyone came, then a new run of three days: a new nudge
    post_sms(client, TRAINER_RW, f"YAJE {dm(m - timedelta(days=16))}")
    for days in (14, 13, 12):
        absent(days)
    assert len(texts_to(context, GRACE, "absence_nudge")) == 2
    assert len(texts_to(context, TRAINER_RW, "absence_nudge")) == 2
    with context.db.session() as s:
        keys = [row.dedupe_key for row in sent_to(s, GRACE, "absence_nudge")]
        grace = trainee(s, "T0042")
        assert keys == [
            f"absence-nudge:{grace.id}:{m - timedelta(days=20)}",
            f"absence-nudge:{grace.id}:{m - timedelta(days=14)}",
        ]
        assert grace.nudged_from == m - timedelta(days=14)
        assert s.scalars(select(AbsenceCase)).all() == []

    # a trainee who stopped our SMS: the trainer is asked to call
    post_sms(client, "+250788200003", "HAGARIKA")
    for days in (6, 5, 4):
        absent(days, "T0003")
    texts = texts_to(context, TRAINER_RW, "absence_nudge")
    first = m - timedelta(days=6)
    assert texts[-1] == (
        f"Iradukunda Joel (T0003) yasibye inshuro 3 kuva {first:%d/%m/%Y}, kandi yahagaritse SMS "
        "zacu. Muhamagare: 0788200003"
    )

    # by USSD, with a reason
    trainer = Phone(client, TRAINER_RW)
    for back in (2, 1, 0):
        trainer.dial()
        trainer.choose("Tanga abasibye")
        trainer.choose("T0107 Mugisha Eric")
        label = format_day(world.today - timedelta(days=back), "rw")
        trainer.page_to(label)
        trainer.choose(label)
        trainer.choose("Uburwayi")  # the reason confirms the report
    [text] = texts_to(context, "+250788200107", "absence_nudge")
    assert "inshuro 3 kuva" in text  # a day T0003 was reported and T0107 was not: they came
    with context.db.session() as s:
        reasons = s.scalars(
            select(Absence.reason).where(Absence.trainee_id == trainee(s, "T0107").id)
        ).all()
        assert reasons == [AbsenceReason.SICK] * 3


def test_a_trainee_whose_case_is_open_gets_no_second_nudge_in_the_same_run(
    client, context, world
) -> None:
    """The run goes on past the case's days: still the run they were texted about."""
    m = monday(world.today)
    for days in (14, 13, 12, 7):  # three days: the nudge; then the second week: the case
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=days))}")
    [case] = _cases(context)
    assert len(texts_to(context, GRACE, "absence_nudge")) == 1
    for days in (6, 5, 4):  # three more days, the case still open
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=days))}")
    assert len(texts_to(context, GRACE, "absence_nudge")) == 1
    assert [c.id for c in _cases(context)] == [case.id]


def _cases(context) -> list[AbsenceCase]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return list(s.scalars(select(AbsenceCase)))
