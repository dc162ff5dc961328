"""The two-week rule: a trainee absent two weeks running is flagged once to the field officer
and the VTC director; staff close the case with `ikimina cases`. And the weekly reminder to
trainers who sent no attendance report."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from support.sms import (
    DIRECTOR,
    FIELD_OFFICER,
    OTHER_TRAINER,
    TRAINER_EN,
    TRAINER_FR,
    TRAINER_RW,
    dm,
    last_reply,
    person,
    post_sms,
    sent_to,
    texts_to,
    trainee,
)

from ikimina.cli import main
from models import AbsenceCase, CaseStatus, Channel, Priority, TraineeStatus
from models.at_risk import monday
from models.attendance import record_presence
from services.attendance import report_absences
from services.reminder_rules import MISSING_REPORT
from services.reminders import queue_due
from worker.jobs.inbound import alert_open_cases
from worker.process import install


def cases(context) -> list[AbsenceCase]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return list(s.scalars(select(AbsenceCase).order_by(AbsenceCase.id)))


def status_of(context, code: str) -> TraineeStatus:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return trainee(s, code).status


def cli(context, *args: str):  # type: ignore[no-untyped-def]
    """Run `ikimina ARGS` on the test's database, then put the test's services back."""
    env = {"DATABASE_URL": context.settings.database_url, "REDIS_URL": ""}
    result = CliRunner().invoke(main, list(args), env=env)
    install(context)
    return result


def remind_missing_reports(context, day: date) -> int:  # type: ignore[no-untyped-def]
    """Run the reminders at 16:05 (Kigali) on the Friday of `day`'s week: the SMS queued."""
    friday = monday(day) + timedelta(days=4)
    at = datetime.combine(friday, time(16, 5), ZoneInfo(context.settings.tz))
    with context.db.session() as s:
        return queue_due(s, context.settings, at, rules=(MISSING_REPORT,))


def test_absent_every_reported_day_of_two_weeks_alerts_once(client, context, world) -> None:
    m = monday(world.today)
    first, second = m - timedelta(days=14), m - timedelta(days=12)  # Monday, Wednesday
    third, fourth = m - timedelta(days=6), m - timedelta(days=4)  # Tuesday, Thursday
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(first)}")
    post_sms(client, TRAINER_RW, f"SIBA T0042 T0107 {dm(second)}")
    assert cases(context) == []
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(third)}")
    [case] = cases(context)
    assert case.status is CaseStatus.OPEN
    assert case.days == ",".join(d.isoformat() for d in (first, second, third))
    assert status_of(context, "T0042") is TraineeStatus.AT_RISK
    days = f"{first:%d/%m}, {second:%d/%m}, {third:%d/%m}"
    assert texts_to(context, FIELD_OFFICER, "alert") == [
        f"Ishimwe Grace (T0042), Tailoring, Gisenyi VTC: absent all 3 reported days in 2 weeks: "
        f"{days}. Replace or justify (case {case.id})."
    ]
    assert texts_to(context, DIRECTOR, "alert") == [
        f"Ishimwe Grace (T0042), Tailoring, Gisenyi VTC : absent(e) les 3 jours signalés en 2 "
        f"semaines : {days}. Remplacez ou justifiez (dossier {case.id})."
    ]
    with context.db.session() as s:
        [alert] = sent_to(s, FIELD_OFFICER)
        assert (alert.priority, alert.dedupe_key) == (
            Priority.HIGH,
            f"absence-case:{case.id}:{person(s, FIELD_OFFICER).id}",
        )
    # more absences, a repeated sweep: still one case and one alert each
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(fourth)}")
    post_sms(client, TRAINER_EN, f"ABS T0042 {dm(world.today)}")
    assert alert_open_cases() == 2  # the rows it found already queued
    assert len(cases(context)) == 1
    assert len(texts_to(context, FIELD_OFFICER)) == len(texts_to(context, DIRECTOR)) == 1
    assert last_reply(context, TRAINER_RW) == f"Yasibye {fourth:%d/%m}: T0042 Ishimwe Grace."


def test_two_trainees_absent_the_same_two_weeks_each_get_a_case(client, context, world) -> None:
    """One trainee's open case does not stand for another's (mutmut survivors in open_case)."""
    m = monday(world.today)
    for day in (m - timedelta(days=14), m - timedelta(days=6)):
        post_sms(client, TRAINER_RW, f"SIBA T0042 T0107 {dm(day)}")
    with context.db.session() as s:
        opened = [(trainee(s, code).id, trainee(s, code).status) for code in ("T0042", "T0107")]
    assert [(c.trainee_id, c.status) for c in cases(context)] == [
        (opened[0][0], CaseStatus.OPEN),
        (opened[1][0], CaseStatus.OPEN),
    ]
    assert [status for _id, status in opened] == [TraineeStatus.AT_RISK] * 2
    alerts = texts_to(context, FIELD_OFFICER, "alert")
    assert [a.split(",")[0] for a in alerts] == ["Ishimwe Grace (T0042)", "Mugisha Eric (T0107)"]


def test_absences_before_the_last_three_weeks_no_longer_count(client, context, world) -> None:
    m = monday(world.today)
    for day in (m - timedelta(days=28), m - timedelta(days=21)):  # four and three weeks back
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(day)}")
    assert cases(context) == []
    assert texts_to(context, FIELD_OFFICER) == []


def _justify(context, case: AbsenceCase) -> None:  # type: ignore[no-untyped-def]
    closed = cli(context, "cases", "close", str(case.id), "--justified", "--reason", "sick")
    assert closed.exit_code == 0, closed.output


def test_after_two_closed_cases_only_days_after_the_latest_count(client, context, world) -> None:
    m = monday(world.today)

    def absent(days_before_monday: int) -> None:
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=days_before_monday))}")

    absent(21)
    absent(14)
    [first] = cases(context)
    _justify(context, first)
    absent(13)  # the day after the first case's last day counts
    absent(7)
    second = cases(context)[-1]
    assert second.days == ",".join(str(m - timedelta(days=n)) for n in (13, 7))
    _justify(context, second)
    absent(6)  # the day after the second case: a new run of one day
    assert len(cases(context)) == 2
    assert len(texts_to(context, FIELD_OFFICER, "alert")) == 2


def test_another_trainees_closed_case_ends_none_of_their_days(client, context, world) -> None:
    m = monday(world.today)
    earlier, later = dm(m - timedelta(days=14)), dm(m - timedelta(days=7))
    post_sms(client, TRAINER_RW, f"SIBA T0042 T0107 {earlier}")
    post_sms(client, TRAINER_RW, f"SIBA T0042 {later}")
    [grace] = cases(context)
    _justify(context, grace)
    post_sms(client, TRAINER_RW, f"SIBA T0107 {later}")  # the trainer adds Eric to that day
    eric = cases(context)[-1]
    with context.db.session() as s:
        assert eric.trainee_id == trainee(s, "T0107").id
    assert eric.days == ",".join(str(m - timedelta(days=n)) for n in (14, 7))
    assert "Mugisha Eric (T0107)" in texts_to(context, FIELD_OFFICER, "alert")[-1]


def test_present_on_a_reported_day_breaks_the_run(client, context, world) -> None:
    m = monday(world.today)
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=14))}")
    post_sms(client, TRAINER_RW, f"YAJE {dm(m - timedelta(days=5))}")  # everyone came
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=6))}")
    assert cases(context) == []
    assert texts_to(context, FIELD_OFFICER) == []
    assert status_of(context, "T0042") is TraineeStatus.ACTIVE


def test_a_run_broken_inside_a_week_keeps_none_of_that_weeks_earlier_days(
    client, context, world
) -> None:
    """Present on the Wednesday of a week: that week's Friday starts the run, and the week
    counts for no two-week run (mutmut survivor `broken_in = None` in two_week_streak)."""
    m = monday(world.today)
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=14))}")  # Monday
    post_sms(client, TRAINER_RW, f"YAJE {dm(m - timedelta(days=12))}")  # Wednesday: she came
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=10))}")  # Friday
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=7))}")  # the next week
    assert cases(context) == []
    assert texts_to(context, FIELD_OFFICER, "alert") == []
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(world.today)}")  # and this week: the case
    [case] = cases(context)
    later = m - timedelta(days=7)
    assert texts_to(context, FIELD_OFFICER, "alert") == [
        f"Ishimwe Grace (T0042), Tailoring, Gisenyi VTC: absent all 2 reported days in 2 weeks: "
        f"{later:%d/%m}, {world.today:%d/%m}. Replace or justify (case {case.id})."
    ]


def test_both_rules_at_once_name_every_day_of_the_run(world_with) -> None:
    """The day that completes a three-week run also makes 2 of the last 14 days: the alert
    names the run's day from over 14 days ago too (mutmut survivor `days = recent` in
    at_risk_days)."""
    context, client, world = world_with(absence_days_threshold=2)
    m = monday(world.today)
    old = m - timedelta(days=14)  # Monday two weeks back: out of the 14 days
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(old)}")
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(world.today)}")  # no report last week yet
    assert cases(context) == []
    last_week = m - timedelta(days=7)
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(last_week)}")  # reported late
    [case] = cases(context)
    assert case.days == ",".join(d.isoformat() for d in (old, last_week, world.today))
    days = f"{old:%d/%m}, {last_week:%d/%m}, {world.today:%d/%m}"
    assert texts_to(context, FIELD_OFFICER, "alert") == [
        f"Ishimwe Grace (T0042), Tailoring, Gisenyi VTC: absent all 3 reported days in 2 weeks: "
        f"{days}. Replace or justify (case {case.id})."
    ]


def test_only_her_own_trainers_reports_count_as_training_days(client, context, world) -> None:
    """Another trainer's PRESENT day breaks nothing, and a day another trainer reports her
    absent counts (mutmut survivors in _days: the trainer filter, `reported = ...`)."""
    m = monday(world.today)
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=14))}")
    post_sms(client, OTHER_TRAINER, f"YAJE {dm(m - timedelta(days=12))}")
    post_sms(client, TRAINER_EN, f"ABS T0042 {dm(m - timedelta(days=7))}")
    [case] = cases(context)
    assert case.days == ",".join(str(m - timedelta(days=n)) for n in (14, 7))


@pytest.mark.parametrize("came", ["first day", "today"])
def test_a_day_she_came_at_either_end_of_the_window_counts(client, context, world, came) -> None:
    """Present on the window's first day (the Monday three weeks back) or today: that week
    starts no two-week run (mutmut survivors in _days: `>` for `>=`, `<` for `<=`)."""
    m = monday(world.today)
    if came == "first day":
        present, absent = m - timedelta(days=21), (m - timedelta(days=19), m - timedelta(days=14))
    else:
        present, absent = world.today, (m - timedelta(days=14), m - timedelta(days=7))
    post_sms(client, TRAINER_RW, f"YAJE {dm(present)}")
    for day in absent:
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(day)}")
    assert cases(context) == []
    assert texts_to(context, FIELD_OFFICER, "alert") == []


def test_the_rule_fires_for_absences_reported_through_ussd(context, world) -> None:
    """The trainer's USSD menu calls the same report_absences (channel USSD)."""
    m = monday(world.today)
    for day in (m - timedelta(days=7), world.today):
        with context.db.session() as s:
            trainer = person(s, TRAINER_RW)
            report_absences(
                s,
                context.settings,
                trainer,
                ["T0107"],
                day,
                today=world.today,
                channel=Channel.USSD,
            )
    [case] = cases(context)
    assert case.trainee_id and len(texts_to(context, FIELD_OFFICER, "alert")) == 1
    assert "Mugisha Eric (T0107)" in texts_to(context, DIRECTOR, "alert")[0]


def test_n_of_the_last_14_days_also_puts_a_trainee_at_risk(world_with) -> None:
    context, client, world = world_with(absence_days_threshold=3)
    today = world.today
    post_sms(client, TRAINER_RW, f"YAJE {dm(today)}")  # present today: no two-week run
    for back in (9, 5):
        post_sms(client, TRAINER_RW, f"SIBA T0003 {dm(today - timedelta(days=back))}")
    assert cases(context) == []
    post_sms(client, TRAINER_RW, f"SIBA T0003 {dm(today - timedelta(days=1))}")
    [case] = cases(context)
    assert len(case.days.split(",")) == 3
    assert len(texts_to(context, FIELD_OFFICER, "alert")) == 1


@pytest.mark.parametrize(("threshold", "opened"), [(0, 0), (1, 1), (2, 0)])
def test_the_n_of_14_days_rule_counts_the_last_14_days_only(world_with, threshold, opened):
    """Absent today and 14 days ago (weeks apart: no two-week run): the day 14 days ago is out
    of the window; a threshold of 0 turns the rule off (mutmut survivors)."""
    context, client, world = world_with(absence_days_threshold=threshold)
    for back in (14, 0):
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(world.today - timedelta(days=back))}")
    assert len(cases(context)) == opened
    if opened:
        assert cases(context)[0].days == str(world.today)


def test_staff_list_and_close_cases_on_the_cli(client, context, world) -> None:
    m = monday(world.today)
    assert cli(context, "cases").output == "No open cases.\n"
    episode_one = (m - timedelta(days=21), m - timedelta(days=13))
    for day in episode_one:
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(day)}")
    [case] = cases(context)
    listing = cli(context, "cases")
    assert listing.exit_code == 0
    assert "T0042    Ishimwe Grace" in listing.output
    assert f"2: {dm(episode_one[0])}, {dm(episode_one[1])}" in listing.output

    assert (
        "--justified needs --reason"
        in cli(context, "cases", "close", str(case.id), "--justified").output
    )
    closed = cli(
        context, "cases", "close", str(case.id), "--justified", "--reason", "sick", "--note", "sick"
    )
    assert closed.exit_code == 0, closed.output
    assert (
        closed.output == f"Case {case.id} closed as justified: T0042 Ishimwe Grace is now active.\n"
    )
    [case] = cases(context)
    assert (case.status, case.note, case.closed_at is not None) == (
        CaseStatus.JUSTIFIED,
        "sick",
        True,
    )
    again = cli(context, "cases", "close", str(case.id), "--replaced")
    assert again.exit_code == 1 and "already closed (justified)" in again.output
    assert cli(context, "cases", "close", str(case.id)).exit_code != 0
    assert "no case 999" in cli(context, "cases", "close", "999", "--replaced").output

    # a new episode after the justified one opens a new case and a new alert
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=7))}")
    assert len(cases(context)) == 1
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(world.today)}")
    first, second = cases(context)
    assert second.status is CaseStatus.OPEN and second.id != first.id
    assert len(texts_to(context, FIELD_OFFICER, "alert")) == 2

    nobody = cli(context, "cases", "close", str(second.id), "--replaced")
    assert nobody.exit_code == 1 and "use --dropped" in nobody.output
    replaced = cli(context, "cases", "close", str(second.id), "--dropped")
    assert "is now dropped" in replaced.output
    assert status_of(context, "T0042") is TraineeStatus.DROPPED
    post_sms(client, TRAINER_EN, "ABS T0042")
    assert last_reply(context, TRAINER_EN) == "No longer in training: T0042."


def test_trainers_without_a_report_this_week_get_one_reminder(client, context, world) -> None:
    post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(world.today)}")  # reported by SMS
    with context.db.session() as s:  # reported through USSD: everyone present
        record_presence(
            s, person(s, TRAINER_EN), [], world.today, today=world.today, channel=Channel.USSD
        )
    post_sms(client, TRAINER_FR, "ARRET")  # opted out: no bulk SMS
    assert remind_missing_reports(context, world.today) == 1
    assert remind_missing_reports(context, world.today) == 0  # already queued, nothing new
    [reminder] = texts_to(context, OTHER_TRAINER, "reminder")
    assert reminder.startswith("Nta raporo y'ubwitabire wohereje iki cyumweru.")
    with context.db.session() as s:
        [row] = sent_to(s, OTHER_TRAINER)
        week = monday(world.today).isoformat()
        assert (row.priority, row.dedupe_key) == (
            Priority.BULK,
            f"reminder:missing_report:week:{week}:{person(s, OTHER_TRAINER).id}",
        )
    assert texts_to(context, TRAINER_RW, "reminder") == []
    assert texts_to(context, TRAINER_EN, "reminder") == []
    assert texts_to(context, TRAINER_FR, "reminder") == []

    post_sms(client, TRAINER_FR, "START")
    remind_missing_reports(context, world.today + timedelta(days=7))  # the next week's
    assert texts_to(context, TRAINER_FR, "reminder") == [
        "Vous n'avez envoyé aucun rapport de présence cette semaine. Envoyez ABSENT et les codes "
        "des absents (ABSENT T0042), ou PRESENT si tous sont venus."
    ]


def test_a_trainer_whose_trainees_all_left_gets_no_reminder(client, context, world) -> None:
    with context.db.session() as s:
        trainee(s, "T0500").status = TraineeStatus.REPLACED
    remind_missing_reports(context, world.today)
    assert texts_to(context, OTHER_TRAINER) == []
