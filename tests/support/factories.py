"""Small builders for test data, written through the real models (no mocks)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Cooperative,
    District,
    Intake,
    Language,
    LedgerEntry,
    LedgerKind,
    Person,
    Role,
    Sector,
    Stage,
    StageChange,
    Trainee,
    TraineeStatus,
    Training,
    TvetRequest,
    Vsla,
    Vtc,
)


def district(session: Session, name: str = "Rubavu") -> District:
    found = session.scalar(select(District).where(District.name == name))
    if found is None:
        found = District(name=name)
        session.add(found)
        session.flush()
    return found


def sector(session: Session, name: str = "Gisenyi", district_name: str = "Rubavu") -> Sector:
    d = district(session, district_name)
    found = session.scalar(select(Sector).where(Sector.name == name, Sector.district_id == d.id))
    if found is None:
        found = Sector(name=name, district=d)
        session.add(found)
        session.flush()
    return found


def person(
    session: Session,
    phone: str,
    name: str = "Uwase Aline",
    *,
    roles: tuple[Role, ...] = (Role.MEMBER,),
    language: Language = Language.RW,
    vsla: Vsla | None = None,
    cooperative: Cooperative | None = None,
    vtc: Vtc | None = None,
    district_name: str | None = "Rubavu",
    sector_name: str | None = "Gisenyi",
    opted_out: bool = False,
) -> Person:
    p = Person(phone=phone, name=name, language=language, opted_out=opted_out)
    if district_name:
        p.district = district(session, district_name)
    if sector_name and district_name:
        p.sector = sector(session, sector_name, district_name)
    p.vsla, p.cooperative, p.vtc = vsla, cooperative, vtc
    p.set_roles(set(roles))
    session.add(p)
    session.flush()
    return p


def vsla(
    session: Session,
    name: str = "Twiyubake",
    *,
    meeting_day: int = 2,
    meeting_time: time = time(14, 0),
    meeting_place: str = "Ku biro by'akagari",
    share_value: int = 500,
) -> Vsla:
    v = Vsla(
        name=name,
        sector=sector(session),
        meeting_day=meeting_day,
        meeting_time=meeting_time,
        meeting_place=meeting_place,
        share_value=share_value,
    )
    session.add(v)
    session.flush()
    return v


def ledger(
    session: Session,
    member: Person,
    kind: LedgerKind,
    amount: int,
    on: date,
    *,
    due: date | None = None,
    reference: str | None = None,
) -> LedgerEntry:
    assert member.vsla_id is not None
    entry = LedgerEntry(
        vsla_id=member.vsla_id,
        person_id=member.id,
        kind=kind,
        amount=amount,
        date=on,
        due_date=due,
        reference=reference or f"t-{member.id}-{kind}-{on}-{amount}",
    )
    session.add(entry)
    session.flush()
    return entry


def cooperative(
    session: Session,
    name: str = "Abakora Neza",
    *,
    stage: Stage = Stage.DISTRICT_SITE_VISIT,
    stage_date: date = date(2026, 11, 2),
    value_chain: str = "Tailoring",
    certificate_no: str | None = None,
) -> Cooperative:
    c = Cooperative(
        name=name,
        value_chain=value_chain,
        district=district(session),
        sector=sector(session),
        stage=stage,
        stage_date=stage_date,
        certificate_no=certificate_no,
    )
    c.history.append(StageChange(stage=Stage.FORMED, date=stage_date - timedelta(days=60)))
    if stage is not Stage.FORMED:
        c.history.append(StageChange(stage=stage, date=stage_date))
    session.add(c)
    session.flush()
    return c


def vtc(
    session: Session,
    name: str = "Gisenyi VTC",
    director: Person | None = None,
    *,
    district_name: str = "Rubavu",
) -> Vtc:
    v = Vtc(name=name, district=district(session, district_name), director=director)
    session.add(v)
    session.flush()
    return v


def trainee(
    session: Session,
    code: str,
    who: Person,
    centre: Vtc,
    trainer: Person | None,
    *,
    trade: str = "Tailoring",
    start: date = date(2026, 9, 1),
    status: TraineeStatus = TraineeStatus.ACTIVE,
) -> Trainee:
    t = Trainee(
        code=code,
        person=who,
        vtc=centre,
        trainer=trainer,
        trade=trade,
        start_date=start,
        status=status,
    )
    session.add(t)
    session.flush()
    return t


def training(
    session: Session,
    topic: str,
    starts_at: datetime,
    *,
    venue: str = "Rubavu",
    audience: str = "all",
) -> Training:
    t = Training(topic=topic, starts_at=starts_at, venue=venue, audience=audience)
    session.add(t)
    session.flush()
    return t


def intake(
    session: Session,
    centre: Vtc,
    trade: str,
    start: date,
    end: date,
    *,
    trainees: tuple[Trainee, ...] = (),
    start_time: time = time(8, 0),
) -> Intake:
    i = Intake(vtc=centre, trade=trade, start_date=start, end_date=end, start_time=start_time)
    session.add(i)
    session.flush()
    for t in trainees:
        t.intake_id = i.id
    session.flush()
    return i


def tvet_request(
    session: Session, who: Person, trade: str, requested_at: datetime, district_name: str = "Rubavu"
) -> TvetRequest:
    r = TvetRequest(
        person=who,
        trade=trade,
        district=district(session, district_name),
        requested_at=requested_at,
    )
    session.add(r)
    session.flush()
    return r
