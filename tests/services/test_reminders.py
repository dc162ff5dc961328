"""Reminders through a simulated week: the right people get the right reminder at the right
Kigali time, in their language, once, never in quiet hours and never after opting out."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import func, select
from support import factories as f
from support.reminders import (
    ALINE,
    CLAUDINE,
    ERIC,
    GONE,
    JEAN,
    KIGALI,
    MARIE,
    PAUL,
    STAFF,
    build_world,
    kigali,
    rule_of,
    sent,
)
from support.rq_worker import InProcessWorker

from models import (
    Cooperative,
    OutboundSms,
    Priority,
    ReminderOccasion,
    SmsStatus,
    Stage,
    StageChange,
)
from runtime.context import Context
from runtime.runners import RqRunner
from services.registration import BadStageChange, change_stage
from services.reminders import due, queue_due
from worker.process import install
from worker.schedule import PERIODIC, InProcessClock, cron_scheduler


def travel(context: Context, start: datetime, end: datetime, events=None) -> None:  # type: ignore[no-untyped-def]
    """Run the demo's clock from `start` to `end` at each of its 15-minute ticks where anything
    can happen (`ticks`); `events` maps a moment to something that happens then."""
    events = dict(events or {})
    with freeze_time(start) as frozen:
        clock = InProcessClock(context.runner)
        for moment in ticks(context, start, end, events):
            frozen.move_to(moment)
            clock.tick()
            if moment in events:
                events.pop(moment)()


def ticks(context: Context, start: datetime, end: datetime, events) -> list[datetime]:  # type: ignore[no-untyped-def]
    """The clock's 15-minute ticks that can queue something: the first (catching up), each
    event's, and the first at or after each moment a reminder falls due. The due moments are
    computed (`services.reminders.due`), not found by ticking through all 96 ticks of each
    day; when each SMS was queued is still checked against the expected schedule."""
    step = timedelta(minutes=15)
    with context.db.session() as s:
        planned = [at for _, _, at in due(s, context.settings, start, end)]
    slots = {start + step * -(-(at - start) // step) for at in planned}
    return sorted(t for t in {start, start + step, *events, *slots} if start <= t <= end)


def schedule_of(rows: list[OutboundSms]) -> list[tuple[str, str, str]]:
    """(Kigali time the SMS was queued, rule, phone) for each row."""
    return sorted(
        (row.created_at.astimezone(KIGALI).strftime("%a %d/%m %H:%M"), rule_of(row), row.phone)
        for row in rows
    )


def text_to(rows: list[OutboundSms], rule: str, phone: str) -> str:
    (row,) = [r for r in rows if rule_of(r) == rule and r.phone == phone]
    return row.text


def move_abakora_neza_on(context: Context) -> None:
    with context.db.session() as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == "Abakora Neza"))
        assert coop is not None
        change_stage(s, context.settings, coop, Stage.DISTRICT_APPROVED, on=date(2026, 12, 3))


EXPECTED_WEEK = sorted(
    [
        ("Mon 30/11 08:00", "stalled_registrations", STAFF),
        ("Tue 01/12 09:00", "loan_repayment", ALINE),
        ("Tue 01/12 18:00", "vsla_meeting", ALINE),
        ("Tue 01/12 18:00", "vsla_meeting", JEAN),
        ("Tue 01/12 18:00", "vsla_meeting", MARIE),
        ("Wed 02/12 18:00", "training_tomorrow", ALINE),
        ("Wed 02/12 18:00", "training_tomorrow", JEAN),
        ("Wed 02/12 18:00", "training_tomorrow", MARIE),
        ("Thu 03/12 08:00", "training_soon", ALINE),
        ("Thu 03/12 08:00", "training_soon", JEAN),
        ("Thu 03/12 08:00", "training_soon", MARIE),
        ("Thu 03/12 11:00", "stage_changed", CLAUDINE),
        ("Thu 03/12 11:00", "stage_changed", JEAN),
        ("Thu 03/12 18:00", "training_tomorrow", ERIC),
        # 2 hours before 08:30 is 06:30, in quiet hours: moved to their end, 07:00.
        ("Fri 04/12 07:00", "training_soon", ERIC),
    ]
)
WEEK = (kigali(29, 12, month=11), kigali(6, 23, 45))


def test_a_week_of_reminders_reaches_the_right_people_at_the_right_time(context) -> None:
    build_world(context)
    travel(context, *WEEK, events={kigali(3, 11): lambda: move_abakora_neza_on(context)})
    rows = sent(context)
    assert schedule_of(rows) == EXPECTED_WEEK
    assert all(r.kind == "reminder" and r.priority is Priority.BULK for r in rows)
    assert all(r.encoding == "GSM-7" and r.not_before is None for r in rows)

    # In each person's language, with the name, day, time, place and amount filled in.
    assert text_to(rows, "vsla_meeting", ALINE) == (
        "Uwase Aline, inama y'itsinda Twiyubake ni ejo ku wa gatatu 02/12 saa 14:00, "
        "kuri Ku biro by'akagari."
    )
    assert text_to(rows, "vsla_meeting", JEAN) == (
        "Habimana Jean, your savings group Twiyubake meets tomorrow Wednesday 02/12 at 14:00, "
        "Ku biro by'akagari."
    )
    assert "demain mercredi 02/12 à 14:00" in text_to(rows, "vsla_meeting", MARIE)
    assert text_to(rows, "loan_repayment", ALINE) == (
        "Uwase Aline, turakwibutsa kwishyura inguzanyo: 40,000 Frw bitarenze ku wa gatanu 04/12 "
        "(Twiyubake)."
    )
    assert text_to(rows, "training_soon", JEAN) == (
        "Habimana Jean, training on Business plan starts today at 10:00, Rubavu TVET."
    )
    assert "ejo ku wa gatanu 04/12 saa 08:30" in text_to(rows, "training_tomorrow", ERIC)
    assert text_to(rows, "stage_changed", JEAN) == (
        "Habimana Jean, registration of Abakora Neza: Approved by district. "
        "Send your file to the Cooperative Agency (RCA)."
    )
    assert text_to(rows, "stage_changed", CLAUDINE).startswith(
        "Mukamana Claudine, kwiyandikisha kwa Abakora Neza: Yemejwe n'akarere. Mwohereze"
    )
    assert text_to(rows, "stalled_registrations", STAFF) == (
        "Staff Officer, 2 cooperatives at the same registration stage for 30+ days. "
        "Longest (days): Twisungane (76), Dukore (41)"
    )

    # Nobody who opted out, and no replaced trainee, is ever queued anything.
    assert not [r for r in rows if r.phone in (GONE, PAUL)]
    # Nothing is queued in quiet hours (21:00-07:00 Kigali).
    assert all(7 <= r.created_at.astimezone(KIGALI).hour < 21 for r in rows)

    # A second scheduler living through the same week sends nothing more.
    travel(context, *WEEK)
    assert len(sent(context)) == len(rows)
    with context.db.session() as s:
        assert s.scalar(select(func.count(ReminderOccasion.id))) == 8


def test_two_schedulers_at_once_queue_each_reminder_once(context) -> None:
    build_world(context)
    moment = kigali(1, 18, 5)  # Tuesday: the meeting reminders are due
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def scheduler() -> None:
        try:
            barrier.wait()
            with context.db.session() as s:
                queue_due(s, context.settings, moment)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted((rule_of(r), r.phone) for r in sent(context)) == [
        ("vsla_meeting", ALINE),
        ("vsla_meeting", JEAN),
        ("vsla_meeting", MARIE),
    ]


def test_a_missed_reminder_is_caught_up_but_never_sent_in_quiet_hours(context) -> None:
    build_world(context)
    with context.db.session() as s:
        # The scheduler was down from 17:00 to 22:00: the 18:00 meeting reminders wait for 07:00.
        assert queue_due(s, context.settings, kigali(1, 22)) == 3
    rows = [r for r in sent(context) if rule_of(r) == "vsla_meeting"]
    assert {r.not_before for r in rows} == {kigali(2, 7)}


def test_a_reminder_that_would_come_after_its_event_is_dropped(context) -> None:
    with context.db.session() as s:
        f.person(s, ALINE, "Uwase Aline")
        f.training(s, "Early start", kigali(3, 6, 30), audience="district:Rubavu")
    travel(context, kigali(2, 20), kigali(3, 9))
    # The 18:00 reminder is caught up at 20:15 (first tick of a clock started at 20:00); 2 hours
    # before is 04:30, in quiet hours, and 07:00 would be after the start: that one is dropped.
    assert schedule_of(sent(context)) == [("Wed 02/12 20:15", "training_tomorrow", ALINE)]


def test_a_stage_change_reaches_the_leaders_once(context) -> None:
    build_world(context)
    with freeze_time(kigali(3, 22, 30)), context.db.session() as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == "Abakora Neza"))
        assert coop is not None
        settings, on = context.settings, date(2026, 12, 3)
        change = change_stage(s, settings, coop, Stage.REJECTED, on=on, rejection_reason="no site")
        with pytest.raises(BadStageChange):
            change_stage(s, settings, coop, Stage.REJECTED, on=on, rejection_reason="again")
        assert coop.stage is Stage.REJECTED and coop.rejection_reason == "no site"
        assert s.get(StageChange, change.id) is not None
    rows = sent(context)
    assert sorted(r.phone for r in rows) == [CLAUDINE, JEAN]
    # At night it waits for the end of quiet hours.
    assert {r.not_before for r in rows} == {kigali(4, 7)}
    assert "Rejected: no site. Ask your field officer what to fix." in text_to(
        rows, "stage_changed", JEAN
    )
    travel(context, kigali(3, 22), kigali(4, 12))
    assert len([r for r in sent(context) if rule_of(r) == "stage_changed"]) == 2


def test_a_stage_needs_its_certificate_or_reason(context) -> None:
    build_world(context)
    with context.db.session() as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == "Abakora Neza"))
        assert coop is not None
        with pytest.raises(BadStageChange, match="certificate"):
            change_stage(s, context.settings, coop, Stage.CERTIFIED, on=date(2026, 12, 3))
        with pytest.raises(BadStageChange, match="reason"):
            change_stage(s, context.settings, coop, Stage.REJECTED, on=date(2026, 12, 3))


def test_rq_cron_schedulers_and_a_worker_send_each_reminder_once(settings, redis_url) -> None:
    """Two `ikimina scheduler` processes enqueue the job at 18:00 Kigali (16:00 UTC); an RQ
    worker runs both; the meeting reminders are queued once, each handed to the send job."""
    from rq.registry import FailedJobRegistry

    runner = RqRunner(redis_url)
    ctx = install(Context.build(settings.with_(redis_url=redis_url), runner=runner))
    build_world(ctx)
    with freeze_time(kigali(1, 17, 50)) as frozen:
        only_reminders = tuple(p for p in PERIODIC if p.job.endswith("queue_due_reminders"))
        schedulers = [cron_scheduler(redis_url, only_reminders) for _ in range(2)]
        frozen.move_to(kigali(1, 18) + timedelta(seconds=5))
        for scheduler in schedulers:
            assert [job.func_name for job in scheduler.enqueue_jobs()] == [
                "worker.jobs.reminders.queue_due_reminders"
            ]
        assert runner.queues["default"].count == 2
        worker = InProcessWorker(list(runner.queues.values()), connection=runner.connection)
        assert worker.work(burst=True)
    rows = sent(ctx)
    assert schedule_of(rows) == [
        ("Tue 01/12 18:00", "vsla_meeting", ALINE),
        ("Tue 01/12 18:00", "vsla_meeting", JEAN),
        ("Tue 01/12 18:00", "vsla_meeting", MARIE),
    ]
    # The same worker then sent each one once, through the (local) gateway.
    with ctx.db.session() as s:
        sent_rows = s.scalars(select(OutboundSms).where(OutboundSms.kind == "reminder")).all()
        assert [(r.status, r.attempts, r.at_message_id is not None) for r in sent_rows] == [
            (SmsStatus.SENT, 1, True)
        ] * 3
    assert FailedJobRegistry(queue=runner.queues["bulk"]).count == 0
    ctx.db.dispose()
