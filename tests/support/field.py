"""The field officers' world, on top of the SMS tests' TVET world (support.sms.build_world)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import AbsenceCase, Language, Person, Role, Trainee, TraineeStatus, Vsla
from runtime.context import Context
from support import factories as f
from support.sms import MEMBER, TRAINER_RW, World, build_world, kigali_today

FO_MUSANZE = "+250788100022"
ALICE = "+250788100031"
MUSANZE_ASKER = "+250788100032"
WELDING_ASKER = "+250788100033"


@dataclass
class FieldWorld(World):
    intake_id: int = 0


KIGALI = ZoneInfo("Africa/Kigali")


def _ago(days: int) -> datetime:
    """08:00 in Kigali `days` before Kigali's today (the dates the screens show)."""
    return datetime.combine(kigali_today(), time(8, 0), KIGALI) - timedelta(days=days)


def build_field_world(context: Context) -> FieldWorld:
    """An intake Gisenyi VTC / Tailoring until today + 60 with T0042, T0107, T0003; a field
    officer of Musanze (rw) and Busogo VTC (Musanze) with T0060 and an open case; the
    waiting lists: Tailoring/Rubavu (Mukeshimana Alice, oldest; Uwase Aline), Tailoring/
    Musanze, Welding/Rubavu; the savings group Twiyubake in Gisenyi."""
    world = build_world(context)
    with context.db.session() as s:
        group = f.vsla(s, "Twiyubake")
        gisenyi = s.scalar(select(Trainee).where(Trainee.code == "T0042")).vtc
        trainees = tuple(s.scalars(select(Trainee).where(Trainee.vtc_id == gisenyi.id)))
        intake = f.intake(
            s,
            gisenyi,
            "Tailoring",
            world.start,
            world.today + timedelta(days=60),
            trainees=trainees,
        )
        f.person(
            s,
            FO_MUSANZE,
            "Uwimana Eric",
            roles=(Role.FIELD_OFFICER,),
            district_name="Musanze",
            sector_name="Busogo",
        )
        busogo = f.vtc(s, "Busogo VTC", district_name="Musanze")
        t60 = f.trainee(
            s,
            "T0060",
            f.person(s, "+250788200060", "Keza Diane", district_name=None),
            busogo,
            None,
            start=world.start,
        )
        s.add(AbsenceCase(trainee_id=t60.id, days=(world.today - timedelta(days=3)).isoformat()))
        t60.status = TraineeStatus.AT_RISK
        alice = f.person(s, ALICE, "Mukeshimana Alice", vsla=group)
        f.tvet_request(s, alice, "Tailoring", _ago(20))
        aline = s.scalar(select(Person).where(Person.phone == MEMBER))
        aline.vsla = group
        f.tvet_request(s, aline, "Tailoring", _ago(10))
        far = f.person(
            s,
            MUSANZE_ASKER,
            "Ingabire Rose",
            vsla=group,
            district_name="Musanze",
            sector_name="Busogo",
        )
        f.tvet_request(s, far, "Tailoring", _ago(30), "Musanze")
        welder = f.person(s, WELDING_ASKER, "Habimana Yves", vsla=group)
        f.tvet_request(s, welder, "Welding", _ago(40))
        assert s.scalar(select(Vsla).where(Vsla.name == "Twiyubake")) is not None
        assert s.scalar(select(Person).where(Person.phone == TRAINER_RW)).language is Language.RW
        intake_id = intake.id
    return FieldWorld(today=world.today, start=world.start, intake_id=intake_id)
