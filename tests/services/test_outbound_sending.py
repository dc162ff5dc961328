"""Outbound SMS through the real africastalking SDK, over HTTP, to the local stand-in."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from support import factories as make
from support.sms import cli_env

from ikimina.cli import main
from models import OutboundSms, OutboxPause, Person, Priority, Role, SmsEvent, SmsStatus
from runtime.context import Context
from runtime.runners import InProcessRunner
from services.gateways import gateway_for
from services.outbox import Message, queue_batch, queue_sms
from services.sending import deliver
from worker.process import install

A, B, C = "+250788200001", "+250788200002", "+250788200003"


@pytest.fixture
def at(at_settings):  # type: ignore[no-untyped-def]
    ctx = install(Context.build(at_settings, runner=InProcessRunner(eager=True)))
    yield ctx
    ctx.db.dispose()


def _rows(ctx: Context) -> dict[str, OutboundSms]:
    with ctx.db.session() as s:
        return {r.phone: r for r in s.scalars(select(OutboundSms).order_by(OutboundSms.id))}


def _history(ctx: Context, sms_id: int) -> list[str]:
    with ctx.db.session() as s:
        return list(
            s.scalars(
                select(SmsEvent.status).where(SmsEvent.sms_id == sms_id).order_by(SmsEvent.id)
            )
        )


def test_a_reply_goes_through_the_sdk_with_sender_id_and_records_id_cost_and_code(at, standin):
    with at.db.session() as s:
        queue_sms(s, at.settings, A, "Murakoze “cyane” – mwakoze…", kind="reply")
    (request,) = standin.requests
    assert request.api_key == "test-key"
    assert request.form["username"] == "ikimina"
    assert request.form["from"] == "IKIMINA"
    assert request.form["to"] == A
    assert request.form["message"] == 'Murakoze "cyane" - mwakoze...'  # GSM-7, one segment
    row = _rows(at)[A]
    assert row.status is SmsStatus.SENT
    assert row.at_message_id.startswith("ATXid_")
    assert row.cost == "RWF 10.0000" and row.at_status_code == 101
    assert row.encoding == "GSM-7" and row.segments == 1
    assert _history(at, row.id) == ["queued", "sending", "sent"]


def test_one_text_to_many_goes_in_one_call_and_each_number_gets_its_own_outcome(at, standin):
    standin.config.codes.update({B: 403, C: 406})
    with at.db.session() as s:
        person_c = make.person(s, C)
        queue_batch(
            s,
            at.settings,
            [
                Message(A, "Inama ejo"),
                Message(B, "Inama ejo"),
                Message(C, "Inama ejo", person_c.id),
            ],
            kind="reminder",
        )
    assert len(standin.requests) == 1
    assert standin.requests[0].phones == [A, B, C]
    rows = _rows(at)
    assert rows[A].status is SmsStatus.SENT
    assert rows[B].status is SmsStatus.FAILED
    assert rows[B].failure_reason == "403 InvalidPhoneNumber"
    assert rows[C].status is SmsStatus.FAILED
    with at.db.session() as s:
        assert s.scalar(select(Person.opted_out).where(Person.phone == C)) is True


def test_batches_hold_at_most_the_batch_size(at, standin):
    at.settings = at.settings.with_(sms_batch_size=2)
    with at.db.session() as s:
        messages = [Message(f"+25078830000{i}", "Amakuru") for i in range(5)]
        queue_batch(s, at.settings, messages, kind="reminder")
    assert [len(r.phones) for r in standin.requests] == [2, 2, 1]
    assert all(r.status is SmsStatus.SENT for r in _rows(at).values())


def test_a_transient_recipient_status_is_retried_then_fails_after_the_last_attempt(at, standin):
    standin.config.codes[A] = 502
    with at.db.session() as s:
        queue_sms(s, at.settings, A, "Ongera")
    assert standin.sent_to() == [A, A, A]  # sms_max_attempts = 3
    row = _rows(at)[A]
    assert row.status is SmsStatus.FAILED
    assert row.failure_reason == "gave up after 3 attempts: 502 RejectedByGateway"
    assert _history(at, row.id).count("sending") == 3


def test_a_retry_that_succeeds_sends_once(at, standin):
    calls = Counter()
    original = standin.answer

    def flaky(request):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        standin.config.http_status = 500 if calls["n"] == 1 else None
        return original(request)

    standin.answer = flaky
    with at.db.session() as s:
        queue_sms(s, at.settings, A, "Ubutumwa", dedupe_key="reminder:1:7")
        queue_sms(s, at.settings, A, "Ubutumwa", dedupe_key="reminder:1:7")
    assert standin.sent_to() == [A, A]  # one failed call, one that worked
    with at.db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboundSms)) == 1
    assert _rows(at)[A].status is SmsStatus.SENT


@pytest.mark.parametrize(
    ("answer", "calls", "reason"),
    [
        ({"http_status": 500}, 3, "Internal Server Error"),  # retried up to the maximum
        ({"http_status": 401}, 1, "The supplied authentication is invalid"),  # for good
        ({"delay_s": 1.0}, 3, "timeout"),  # slow answer past the SDK timeout: retried
    ],
)
def test_a_failed_call_is_retried_unless_it_can_never_work(at, standin, answer, calls, reason):
    for name, value in answer.items():
        setattr(standin.config, name, value)
    at.settings = at.settings.with_(at_timeout_s=0.2)
    with at.db.session() as s:
        queue_sms(s, at.settings, A, "Ubutumwa")
    assert len(standin.requests) == calls
    row = _rows(at)[A]
    assert row.status is SmsStatus.FAILED
    assert reason in row.failure_reason


def test_a_slow_answer_goes_to_review_when_resending_on_timeout_is_off(at, standin):
    standin.config.delay_s = 1.0
    at.settings = at.settings.with_(at_timeout_s=0.2, sms_resend_on_timeout=False)
    with at.db.session() as s:
        queue_sms(s, at.settings, A, "Ubutumwa")
    assert len(standin.requests) == 1
    assert _rows(at)[A].status is SmsStatus.REVIEW


def test_no_balance_pauses_bulk_alerts_staff_once_a_day_and_resumes(at, standin):
    standin.config.codes.update({A: 405, B: 405})
    with at.db.session() as s:
        staff = make.person(s, C, "Staff", roles=(Role.STAFF,))
        staff_id = staff.id
        queue_sms(s, at.settings, A, "Inama ejo", kind="reminder", priority=Priority.BULK)
    with at.db.session() as s:
        queue_sms(s, at.settings, B, "Inama ejo", kind="reminder", priority=Priority.BULK)
    rows = _rows(at)
    assert rows[A].status is SmsStatus.QUEUED  # waits for the top-up, not failed
    assert rows[B].status is SmsStatus.QUEUED
    assert B not in standin.sent_to()  # bulk paused before B was tried
    alerts = [r for r in rows.values() if r.kind == "alert"]
    assert [r.person_id for r in alerts] == [staff_id]  # one alert, deduped per day
    assert "ikimina outbox --resume-bulk" in alerts[0].text
    with at.db.session() as s:
        assert s.get(OutboxPause, "bulk") is not None

    shown = CliRunner().invoke(main, ["outbox"], env=_env(at))
    assert "Bulk sending: PAUSED" in shown.output

    standin.config.codes.clear()
    resumed = CliRunner().invoke(main, ["outbox", "--resume-bulk"], env=_env(at))
    assert resumed.exit_code == 0, resumed.output
    assert "Bulk sending resumed." in resumed.output
    rows = _rows(at)
    assert rows[A].status is SmsStatus.SENT and rows[B].status is SmsStatus.SENT


def _env(ctx: Context) -> dict[str, str]:
    return cli_env(ctx)


class _Dropped:
    def enqueue(self, job, *args, **options):  # type: ignore[no-untyped-def]
        pass


def test_two_workers_never_send_the_same_row(at, standin):
    hold = threading.Event()
    standin.config.hold = hold
    phones = [f"+2507884000{i:02d}" for i in range(30)]
    at.runner = _Dropped()  # no job on commit: the three workers below are the only senders
    with at.db.session() as s:
        ids = queue_batch(s, at.settings, [Message(p, "Amakuru") for p in phones], kind="reminder")
    gateway = gateway_for(at.settings)
    workers = [threading.Thread(target=deliver, args=(at, ids, gateway)) for _ in range(3)]
    for w in workers:
        w.start()
    standin.wait_for_calls(1)
    hold.set()
    for w in workers:
        w.join(10)
    assert sorted(standin.sent_to()) == sorted(phones)
    assert Counter(r.status for r in _rows(at).values()) == {SmsStatus.SENT: 30}


def test_an_opted_out_person_is_not_sent_to(at, standin):
    with at.db.session() as s:
        person = make.person(s, A)
        queue_sms(
            s,
            at.settings,
            A,
            "Inama",
            person=person,
            kind="reminder",
            priority=Priority.BULK,
            urgent=True,
        )
        queue_sms(
            s, at.settings, A, "Inama 2", kind="reminder", priority=Priority.BULK, urgent=True
        )
        person.opted_out = True  # before commit: checked when sending
        other = make.person(s, B, "Other")
        queue_sms(s, at.settings, B, "Inama", person=other, kind="reminder", urgent=True)
    assert standin.sent_to() == [B]  # the same reminder reaches who did not opt out
    with at.db.session() as s:
        rows = s.scalars(select(OutboundSms)).all()
        assert {r.phone: r.status for r in rows if r.phone == A} == {A: SmsStatus.CANCELLED}
        assert [r.status for r in rows if r.phone == A] == [SmsStatus.CANCELLED] * 2
        assert [r.status for r in rows if r.phone == B] == [SmsStatus.SENT]
