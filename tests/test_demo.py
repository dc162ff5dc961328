"""`ikimina seed-demo`: the demo data set, loaded through the importers, twice."""

from __future__ import annotations

from sqlalchemy import func, select
from support.spreadsheets import ikimina, session

from models import (
    Cooperative,
    LedgerEntry,
    Person,
    Role,
    Stage,
    StageChange,
    Trainee,
    Training,
    Vtc,
    balances,
    utcnow,
)
from spreadsheets.demo_data import seed_if_empty

PHONES = {
    "+250788100001": {Role.MEMBER},
    "+250788100002": {Role.MEMBER, Role.LEADER},
    "+250788100003": {Role.MEMBER},
    "+250788100004": {Role.MEMBER},
    "+250788100010": {Role.TRAINER},
    "+250788100020": {Role.FIELD_OFFICER},
    "+250788100021": {Role.VTC_DIRECTOR},
    "+250788100030": {Role.STAFF},
}
TABLES = (Person, LedgerEntry, Cooperative, StageChange, Trainee, Training, Vtc)


def _counts(database_url: str) -> dict[str, int]:
    with session(database_url) as s:
        return {t.__name__: s.scalar(select(func.count()).select_from(t)) for t in TABLES}


def test_seed_demo_twice_prints_the_phones_that_exist(database_url) -> None:
    first = ikimina(database_url, "seed-demo")
    assert first.exit_code == 0, first.output
    counts = _counts(database_url)
    second = ikimina(database_url, "seed-demo")
    assert second.exit_code == 0 and _counts(database_url) == counts
    for phone in PHONES:
        assert phone in first.output
    assert "ikimina dial +250788100001" in first.output and "/healthz" in first.output
    with session(database_url) as s:
        people = {p.phone: p for p in s.scalars(select(Person).where(Person.phone.in_(PHONES)))}
        assert {phone: p.roles for phone, p in people.items()} == PHONES
        assert [people[f"+25078810000{n}"].language for n in (1, 3, 4)] == ["rw", "en", "fr"]
        aline = people["+250788100001"]
        assert aline.vsla.name == "Twiyubake"
        assert aline.cooperative.stage is Stage.DISTRICT_SITE_VISIT
        money = balances(s, aline.id)
        assert money.shares > 0 and money.social_fund > 0 and money.fines == 0
        assert money.loan_outstanding == 20000 and money.next_due is not None
        assert people["+250788100010"].vtc.name == "Gisenyi VTC"
        vtc = people["+250788100010"].vtc
        assert vtc.director.phone == "+250788100021" and vtc.district.name == "Rubavu"
        assert [t.code for t in vtc.trainees] == [f"T{n:04d}" for n in range(1, 13)]
        assert {t.trainer.phone for t in vtc.trainees} == {"+250788100010"}
        assert people["+250788100020"].district.name == "Rubavu"
        stages = {c.name: c for c in s.scalars(select(Cooperative))}
        assert stages["Twitezimbere"].certificate_no and stages["Dukore Twese"].rejection_reason
        assert len(stages["Abakora Neza"].history) == 5
        assert len({c.stage for c in stages.values()}) >= 5
        upcoming = s.scalars(select(Training).where(Training.starts_at > utcnow())).all()
        assert len({t.audience.split(":")[0] for t in upcoming}) == 5  # all + four kinds


def test_seed_if_empty_seeds_only_an_empty_database(context) -> None:
    assert seed_if_empty(context) is True
    assert seed_if_empty(context) is False
