"""An intake ends and its trainees graduate: texted once, out of trainers' lists and reminders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from support import factories as f
from support.sms import TRAINER_RW, last_reply, post_sms, texts_to, trainee
from support.ussd import Phone

from models import AbsenceCase, TraineeStatus
from services.attendance import trainers_missing_report
from worker.jobs.tvet import graduate_ended_intakes


def test_an_intake_ends_and_its_trainees_graduate(client, context, world) -> None:
    yesterday = world.today - timedelta(days=1)
    with context.db.session() as s:
        grace = trainee(s, "T0042")
        centre = grace.vtc
        trainees = tuple(s.scalars(select(type(grace)).where(type(grace).vtc_id == centre.id)))
        f.intake(s, centre, "Tailoring", world.start, yesterday, trainees=trainees)
        s.add(AbsenceCase(trainee_id=grace.id, days=yesterday.isoformat()))
        grace.status = TraineeStatus.AT_RISK

    assert graduate_ended_intakes(world.today.isoformat()) == 2
    with context.db.session() as s:
        assert trainee(s, "T0107").status is TraineeStatus.GRADUATED
        assert trainee(s, "T0003").status is TraineeStatus.GRADUATED
        assert trainee(s, "T0042").status is TraineeStatus.AT_RISK  # waits for its case
    graduated = [
        f"Turagushimiye Mugisha Eric! Warangije amahugurwa (Ubudozi) muri Gisenyi VTC ku itariki "
        f"ya {yesterday:%d/%m/%Y}."
    ]
    assert texts_to(context, "+250788200107", "graduated") == graduated
    assert graduate_ended_intakes(world.today.isoformat()) == 0
    assert texts_to(context, "+250788200107", "graduated") == graduated
    assert len(texts_to(context, "+250788200003", "graduated")) == 1

    post_sms(client, TRAINER_RW, "SIBA T0107")
    assert last_reply(context, TRAINER_RW) == "Ntakiri mu mahugurwa: T0107."
    caller = Phone(client, TRAINER_RW)
    caller.dial()
    listed = caller.choose("Tanga abasibye")
    assert "T0042" in listed and "T0107" not in listed and "T0003" not in listed
    with context.db.session() as s:
        # the ended intake owes no weekly report (T0042's place waits on its case only)
        owing = {p.phone for p in s.scalars(trainers_missing_report(world.today))}
        assert TRAINER_RW not in owing

