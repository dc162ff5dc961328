"""A small programme with everything the console shows, built through the real models:
members, leaders, trainers, cooperatives along the pipeline, SMS in and out with their
history, USSD sessions (some dropped), an absence case, join requests and broadcasts.

Used by the console's HTTP tests, its browser tests and `scripts/screenshots`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from models import (
    AbsenceCase,
    Broadcast,
    BroadcastStatus,
    Cooperative,
    InboundSms,
    InboundStatus,
    JoinRequest,
    Language,
    LedgerKind,
    OutboundSms,
    Person,
    Priority,
    Role,
    SmsEvent,
    SmsStatus,
    Stage,
    TraineeStatus,
    UssdHop,
    UssdSession,
    utcnow,
)
from support import factories as make
from support.pins import give_id

STAGES = [
    ("Abakora Neza", Stage.DISTRICT_SITE_VISIT, "Tailoring"),
    ("Twubake Ejo", Stage.FORMED, "Carpentry"),
    ("Inyange Hair", Stage.SECTOR_SUBMITTED, "Hairdressing"),
    ("Ubumwe Welding", Stage.SECTOR_APPROVED, "Welding"),
    ("Kora Ukire", Stage.RCA_SUBMITTED, "Food processing"),
    ("Dufatanye", Stage.CERTIFIED, "Trade"),
]
NAMES = [
    "Mukamana Jeanne", "Habimana Eric", "Uwimana Grace", "Niyonzima Patrick", "Ingabire Diane",
    "Nshimiyimana Jean", "Mutoni Alice", "Bizimana Claude", "Umutoni Sandrine", "Hakizimana Paul",
]


#: A member with savings and no PIN yet (rw): the simulator's balance journey.
SAVER = "+250788200000"


@dataclass
class Programme:
    member_id: int
    leader_id: int
    trainer_id: int
    cooperative_id: int
    broadcast_id: int


def build(session: Session, extra_people: int = 0) -> Programme:
    """The demo-like programme; `extra_people` more members (for query-count checks)."""
    now = utcnow()
    group = make.vsla(session)
    coops = [
        make.cooperative(session, name, stage=stage, value_chain=chain,
                         stage_date=date(2026, 11, 2) - timedelta(days=9 * n),
                         certificate_no="RCA/2026/0417" if stage is Stage.CERTIFIED else None)
        for n, (name, stage, chain) in enumerate(STAGES)
    ]
    member = make.person(session, "+250788100001", "Uwase Aline", vsla=group, cooperative=coops[0])
    member.pin_hash = "set"
    member.pin_failures = 3
    member.pin_locked_until = now + timedelta(hours=20)
    leader = make.person(session, "+250788100002", "Mugisha Jean Bosco",
                         roles=(Role.MEMBER, Role.LEADER), vsla=group, cooperative=coops[0])
    make.person(session, "+250788100003", "Keza Diane", language=Language.EN, vsla=group)
    make.person(session, "+250788100004", "Iradukunda Yves", language=Language.FR, vsla=group)
    trainer = make.person(session, "+250788100010", "Nkurunziza Emmanuel", roles=(Role.TRAINER,))
    director = make.person(session, "+250788100021", "Mukeshimana Agnes",
                           roles=(Role.VTC_DIRECTOR,))
    centre = make.vtc(session, director=director)
    for n, name in enumerate(NAMES):
        who = make.person(session, f"+25078820{n:04d}", name, vsla=group,
                          cooperative=coops[n % len(coops)])
        if n < 4:
            make.trainee(session, f"T{n + 1:04d}", who, centre, trainer)
        if n == 0:  # a saver with no PIN yet: the simulator's balance journey
            give_id(who)  # the proof she types before her first PIN
            make.ledger(session, who, LedgerKind.SHARES, 12000, date(2026, 10, 6))
            make.ledger(session, who, LedgerKind.SOCIAL_FUND, 1500, date(2026, 10, 6))
    for n in range(extra_people):
        make.person(session, f"+25078830{n:04d}", f"Extra Member {n:03d}", vsla=group,
                    cooperative=coops[n % len(coops)])
    at_risk = make.trainee(session, "T0042", make.person(session, "+250788100042",
                           "Tuyishime Olivier", vsla=group), centre, trainer)
    at_risk.status = TraineeStatus.AT_RISK
    days = [date(2026, 11, 16) + timedelta(days=d) for d in (0, 1, 2, 3, 4, 7)]
    session.add(AbsenceCase(trainee=at_risk, days=",".join(d.isoformat() for d in days)))

    broadcast = Broadcast(
        audience="district:Rubavu role:member", status=BroadcastStatus.DONE, recipients=4,
        texts={"rw": "Inama y'ikimina ni kuwa gatatu saa 14:00.",
               "en": "The group meets on Wednesday at 14:00.",
               "fr": "Le groupe se reunit mercredi a 14:00."},
        created_at=now - timedelta(hours=3),
    )
    session.add_all([broadcast, Broadcast(audience="cooperative:\"Abakora Neza\"",
                     texts={"rw": "Amahugurwa ejo saa 9:00."}, status=BroadcastStatus.SCHEDULED,
                     scheduled_at=now + timedelta(days=1), recipients=0)])
    session.flush()
    outcomes = [SmsStatus.DELIVERED, SmsStatus.DELIVERED, SmsStatus.DELIVERED, SmsStatus.FAILED,
                SmsStatus.SENT, SmsStatus.QUEUED]
    for n, status in enumerate(outcomes):
        sms = OutboundSms(phone=member.phone if n == 0 else f"+25078820{n:04d}",
                          person_id=member.id if n == 0 else None,
                          text=broadcast.texts["rw"], kind="broadcast", priority=Priority.BULK,
                          status=status, broadcast_id=broadcast.id if n < 4 else None,
                          created_at=now - timedelta(hours=2, minutes=n),
                          failure_reason="UserInBlacklist" if status is SmsStatus.FAILED else None)
        sms.events = [SmsEvent(status="queued", at=now - timedelta(hours=2)),
                      SmsEvent(status="sent", at=now - timedelta(hours=2), detail="ATXid_1")]
        if status in (SmsStatus.DELIVERED, SmsStatus.FAILED):
            sms.events.append(SmsEvent(status=status.value, at=now - timedelta(hours=1)))
        session.add(sms)
    session.add(InboundSms(at_id="in-1", sender=trainer.phone, text="SIBA T0042",
                           status=InboundStatus.PROCESSED, command="absence"))
    session.add(InboundSms(at_id="in-2", sender=member.phone, text="HAGARIKA",
                           status=InboundStatus.PROCESSED, command="stop"))
    trails = [
        (member.phone, ["main", "savings_pin", "savings"], True),
        (member.phone, ["main", "savings_pin"], False),
        ("+250788200001", ["main", "join_name"], False),
        ("+250788200002", ["main", "trainings"], True),
        ("+250788200003", ["main", "savings_pin"], False),
    ]
    for n, (phone, screens, ended) in enumerate(trails):
        started = now - timedelta(hours=1, minutes=10 * n)
        ussd = UssdSession(session_id=f"ATUid_{n}", phone=phone, started_at=started,
                           last_hop_at=started + timedelta(seconds=30), hops=len(screens),
                           last_screen=screens[-1])
        ussd.hop_rows = [UssdHop(n=i, screen=s, ended=ended and i == len(screens) - 1,
                                 elapsed_ms=4.0, at=started) for i, s in enumerate(screens)]
        session.add(ussd)
    for n, (name, phone) in enumerate([("Ishimwe Clarisse", "+250788400001"),
                                       ("Nsengiyumva Theo", "+250788400002"),
                                       ("Uwera Josiane", "+250788400003")]):
        session.add(JoinRequest(phone=phone, name=name, district=make.district(session),
                                sector=make.sector(session), language="rw",
                                created_at=now - timedelta(days=3 - n)))
    session.flush()
    return Programme(member.id, leader.id, trainer.id, coops[0].id, broadcast.id)


def grow(session: Session, programme: Programme, n: int) -> None:
    """`n` more of every row the console lists, around the same member and cooperative."""
    now = utcnow()
    member = session.get(Person, programme.member_id)
    trainer = session.get(Person, programme.trainer_id)
    assert member is not None and member.vsla is not None
    centre = make.vtc(session, "Grown VTC")
    for i in range(n):
        coop = make.cooperative(session, f"Grown Coop {i:03d}", stage=list(Stage)[i % 8])
        leader = make.person(session, f"+25078850{i:04d}", f"Grown Leader {i:03d}",
                             roles=(Role.MEMBER, Role.LEADER), vsla=member.vsla,
                             cooperative=coop)
        make.person(session, f"+25078860{i:04d}", f"Grown Member {i:03d}", vsla=member.vsla,
                    cooperative=session.get(Cooperative, programme.cooperative_id))
        trainee = make.trainee(session, f"G{i:04d}", leader, centre, trainer)
        session.add(AbsenceCase(trainee=trainee, days="2026-11-16,2026-11-17"))
        broadcast = Broadcast(audience=f"cooperative:\"{coop.name}\"", texts={"rw": "Muraho"},
                              status=BroadcastStatus.DONE, recipients=1)
        session.add(broadcast)
        session.flush()
        sms = OutboundSms(phone=member.phone, person_id=member.id, text=f"Grown {i}",
                          status=SmsStatus.DELIVERED, broadcast_id=broadcast.id,
                          events=[SmsEvent(status="queued"), SmsEvent(status="delivered")])
        session.add(sms)
        session.add(InboundSms(at_id=f"grown-{i}", sender=member.phone, text=f"ABS G{i:04d}"))
        ussd = UssdSession(session_id=f"grown-{i}", phone=member.phone, last_screen="main",
                           started_at=now - timedelta(minutes=20 + i),
                           last_hop_at=now - timedelta(minutes=20 + i))
        ussd.hop_rows = [UssdHop(n=0, screen="main", elapsed_ms=3.0)]
        session.add(ussd)
        session.add(JoinRequest(phone=f"+25078870{i:04d}", name=f"Grown Asker {i:03d}",
                                district=make.district(session), language="rw"))
    session.flush()
