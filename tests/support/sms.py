"""A TVET world and helpers to post SMS as Africa's Talking does and read what people get back."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from locales.formatting import to_local
from models import InboundSms, Language, OutboundSms, Person, Role, Trainee, utcnow
from runtime.context import Context
from support import factories as f

TOKEN = "test-token"
TRAINER_RW = "+250788100010"
TRAINER_EN = "+250788100011"
TRAINER_FR = "+250788100012"
FIELD_OFFICER = "+250788100020"
DIRECTOR = "+250788100021"
MEMBER = "+250788100001"
OTHER_TRAINER = "+250788100013"
STRANGER = "+250788999999"
_ids = itertools.count(1)


def kigali_today() -> date:
    return to_local(utcnow()).date()


@dataclass
class World:
    today: date
    start: date


def build_world(context: Context) -> World:
    """Gisenyi VTC (Rubavu): trainers in rw, en, fr, trainees T0042, T0107, T0003; a field
    officer (en) and the director (fr); Musanze VTC with its own trainer and T0500."""
    today = kigali_today()
    start = today - timedelta(days=120)
    with context.db.session() as s:
        director = f.person(
            s, DIRECTOR, "Mukamana Claire", roles=(Role.VTC_DIRECTOR,), language=Language.FR
        )
        f.person(
            s, FIELD_OFFICER, "Habimana Jean", roles=(Role.FIELD_OFFICER,), language=Language.EN
        )
        gisenyi = f.vtc(s, "Gisenyi VTC", director=director)
        rw = f.person(s, TRAINER_RW, "Niyonzima Paul", roles=(Role.TRAINER,), vtc=gisenyi)
        f.person(
            s, TRAINER_EN, "Kamali Eric", roles=(Role.TRAINER,), language=Language.EN, vtc=gisenyi
        )
        f.person(
            s, TRAINER_FR, "Uwera Diane", roles=(Role.TRAINER,), language=Language.FR, vtc=gisenyi
        )
        f.person(s, MEMBER, "Uwase Aline")
        for code, name in (
            ("T0042", "Ishimwe Grace"),
            ("T0107", "Mugisha Eric"),
            ("T0003", "Iradukunda Joel"),
        ):
            who = f.person(s, "+25078820" + code[1:], name, district_name=None)
            f.trainee(s, code, who, gisenyi, rw, trade="Tailoring", start=start)
        musanze = f.vtc(s, "Musanze VTC")
        other = f.person(s, OTHER_TRAINER, "Bizimana Ali", roles=(Role.TRAINER,), vtc=musanze)
        f.trainee(
            s,
            "T0500",
            f.person(s, "+250788200500", "Keza Ange", district_name=None),
            musanze,
            other,
            start=start,
        )
    return World(today=today, start=start)


def post_sms(
    client, sender: str, text: str, *, at_id: str | None = None, token: str | None = TOKEN
):  # type: ignore[no-untyped-def]
    """POST /sms/inbound with the form Africa's Talking sends."""
    form = {
        "from": sender,
        "to": "12345",
        "text": text,
        "date": "2026-11-28 08:15:02",
        "id": at_id or f"ATXid_{next(_ids)}",
        "networkCode": "63510",
        "linkId": "SampleLinkId123",
    }
    url = "/sms/inbound" + (f"?token={token}" if token is not None else "")
    return client.post(url, data=form)


def sent_to(session: Session, phone: str, kind: str | None = None) -> list[OutboundSms]:
    """Every SMS queued to `phone` (of `kind`), oldest first."""
    query = select(OutboundSms).where(OutboundSms.phone == phone)
    if kind is not None:
        query = query.where(OutboundSms.kind == kind)
    return list(session.scalars(query.order_by(OutboundSms.id)))


def texts_to(context: Context, phone: str, kind: str | None = None) -> list[str]:
    with context.db.session() as s:
        return [row.text for row in sent_to(s, phone, kind)]


def last_reply(context: Context, phone: str) -> str:
    replies = texts_to(context, phone, "reply")
    assert replies, f"no reply to {phone}"
    return replies[-1]


def inbound_rows(context: Context) -> list[InboundSms]:
    with context.db.session() as s:
        return list(s.scalars(select(InboundSms).order_by(InboundSms.id)))


def trainee(session: Session, code: str) -> Trainee:
    return session.scalars(select(Trainee).where(Trainee.code == code)).one()


def person(session: Session, phone: str) -> Person:
    return session.scalars(select(Person).where(Person.phone == phone)).one()


def dm(day: date) -> str:
    """A day as a trainer writes it: 25/11/2026."""
    return f"{day:%d/%m/%Y}"


def cli_env(ctx: Context, **overrides: str) -> dict[str, str]:
    """The environment of an `ikimina` command sending as `ctx` does (no Redis, no pacing)."""
    s = ctx.settings
    return {
        "DATABASE_URL": s.database_url,
        "REDIS_URL": "",
        "SMS_GATEWAY": s.sms_gateway,
        "AT_API_KEY": s.at_api_key,
        "AT_API_URL": s.at_api_url,
        "SMS_RETRY_BASE_S": "0",
        "SMS_RATE_PER_S": "0",
        "QUIET_HOURS_START": s.quiet_hours_start,
        "QUIET_HOURS_END": s.quiet_hours_end,
        **overrides,
    }
