"""Demo data: the seven programme districts, VSLAs with a few months of ledger, cooperatives
along the registration road, upcoming trainings, a VTC with its trainer and trainees.

Everything goes through the importers (the demo proves them), so seeding twice changes nothing.
Dates follow today: the ledger covers the last four months, trainings start next week. Run
again in a later week, `seed-demo` adds that week's trainings and moves the dates; it never
duplicates a person, a group or a ledger entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import Cooperative, Person, Stage, StageChange
from runtime.context import Context
from services.tvet import ask_for_trade
from spreadsheets import KINDS, import_sheet, sheet_from_lines

SECTORS = {
    "Rubavu": ("Gisenyi", "Rubavu", "Nyamyumba"),
    "Nyabihu": ("Mukamira", "Jenda", "Bigogwe"),
    "Kicukiro": ("Gikondo", "Kagarama", "Niboye"),
    "Gakenke": ("Nemba", "Gakenke", "Ruli"),
    "Rulindo": ("Base", "Bushoki", "Shyorongi"),
    "Ngororero": ("Kabaya", "Ngororero", "Hindiro"),
    "Nyarugenge": ("Nyamirambo", "Kimisagara", "Gitega"),
}

# name, district, meeting day, time, place, share value (RWF); the group meets in the first sector
VSLAS = (
    ("Twiyubake", "Rubavu", "Tuesday", "14:00", "Ku biro by'akagari ka Nengo", 500),
    ("Dufatanye", "Nyabihu", "Thursday", "15:00", "Ku ishuri rya Mukamira", 1000),
    ("Terimbere", "Kicukiro", "Saturday", "09:00", "Kwa Mukamana", 200),
    ("Twisungane", "Gakenke", "Wednesday", "14:00", "Ku kiliziya ya Nemba", 500),
    ("Abishyizehamwe", "Rulindo", "Friday", "10:00", "Ku isoko rya Base", 300),
    ("Jyambere", "Ngororero", "Monday", "15:00", "Ku biro by'umurenge", 500),
    ("Duhozanye", "Nyarugenge", "Sunday", "14:00", "Kwa Nyiraneza", 1000),
)

# name, value chain, district, the stages it has passed (the last is where it stands), note
COOPERATIVES = (
    ("Abakora Neza", "Trade", "Rubavu",
     ("formed", "sector_submitted", "sector_approved", "district_submitted",
      "district_site_visit"), ""),
    ("Twitezimbere", "General services", "Kicukiro",
     ("formed", "sector_submitted", "sector_approved", "district_submitted",
      "district_site_visit", "district_approved", "rca_submitted", "certified"),
     "RCA/0456/2026"),
    ("Dukore Twese", "Trade", "Gakenke",
     ("formed", "sector_submitted", "rejected"), "Missing copies of the members' ID cards"),
    ("Ubumwe", "General services", "Nyabihu", ("formed", "sector_submitted", "sector_approved"),
     ""),
    ("Imbaraga", "Trade", "Ngororero",
     ("formed", "sector_submitted", "sector_approved", "district_submitted",
      "district_site_visit", "district_approved", "rca_submitted"), ""),
    ("Ejo Heza", "General services", "Rulindo", ("formed",), ""),
    ("Urumuri", "Trade", "Nyarugenge", ("formed", "sector_submitted"), ""),
)

VTC = "Gisenyi VTC"

#: A household's one phone, shared by two members (the people file marks the second `shared`).
HOUSEHOLD = "+250788100050"
# phone, name, language, roles, district, sector, vsla, cooperative, vtc; what they can try
DEMO_PEOPLE = (
    ("+250788100001", "Uwase Aline", "rw", "member", "Rubavu", "Gisenyi", "Twiyubake",
     "Abakora Neza", "",
     "balances behind a PIN (shares, social fund, a loan due soon), next meeting, trainings, "
     "cooperative Abakora Neza at the district site visit"),
    ("+250788100002", "Mukamana Claudine", "rw", "member;leader", "Rubavu", "Gisenyi",
     "Twiyubake", "Abakora Neza", "",
     "leader of Abakora Neza: its registration steps and next step, reminders"),
    ("+250788100003", "Niyonzima Jean", "en", "member", "Nyabihu", "Mukamira", "Dufatanye",
     "Ubumwe", "", "the member menus in English"),
    ("+250788100004", "Ingabire Chantal", "fr", "member", "Kicukiro", "Gikondo", "Terimbere",
     "Twitezimbere", "", "the member menus in French; her cooperative is certified"),
    ("+250788100010", "Habimana Eric", "rw", "trainer", "Rubavu", "Gisenyi", "", "", VTC,
     f"trainer at {VTC} (trainees T0001..T0012): report absences, e.g. SMS `ABS T0001 T0002`"),
    ("+250788100020", "Nsengiyumva Olivier", "rw", "field_officer", "Rubavu", "Rubavu", "", "",
     "", "an SMS when a trainee has been absent two weeks running"),
    ("+250788100021", "Mukeshimana Grace", "rw", "vtc_director", "Rubavu", "Rubavu", "", "",
     VTC, f"director of {VTC}: the same alert for its trainees"),
    ("+250788100030", "Uwimana Diane", "en", "staff", "Kicukiro", "Kagarama", "", "", "",
     "imports, broadcasts, delivery, absence cases, join requests"),
    ("+250788100040", "Mutabazi Jean Paul", "rw", "sector_official", "Rubavu", "Gisenyi", "",
     "", "", "sector official of Gisenyi: the Monday digest of cooperatives waiting on them"),
    (HOUSEHOLD, "Mukamana Ange", "rw", "member", "Rubavu", "Gisenyi", "Twiyubake", "", "",
     "a household's one phone: dialling asks who is calling (Ange or Samuel), each has a PIN"),
    (HOUSEHOLD, "Habineza Samuel", "en", "member", "Rubavu", "Gisenyi", "Twiyubake", "", "",
     "shares the phone with Ange: his own PIN, balances and English; SMS say who they are for"),
)
#: The last 4 digits of some demo members' national IDs (the `national_id_last4` column): the
#: proof they type before choosing their first PIN.
DEMO_IDS = {"+250788100001": "4417", "+250788100002": "2290", "+250788100003": "3051",
            "+250788100004": "7163"}
#: Members of Twiyubake who asked to learn a trade (the TVET waiting list), oldest first.
WAITING = (("+250788110000", "Tailoring"), ("+250788110001", "Tailoring"),
           ("+250788110002", "Welding"))

NAMES = (
    "Hakizimana Emmanuel", "Tuyishime Alice", "Niyitegeka Samuel", "Uwera Josiane",
    "Bizimana Yves", "Umutoni Ange", "Nkurunziza Fabrice", "Kayitesi Solange",
    "Twagirimana Vincent", "Murekatete Jeanne", "Ndayisaba Theogene", "Nyirahabimana Esther",
    "Mugisha Patrick", "Uwamahoro Clarisse", "Habyarimana Jean Bosco", "Mukandayisenga Rose",
    "Munyaneza Innocent", "Nyiransabimana Beatrice", "Rukundo Eric", "Uwimana Vestine",
    "Ntawukuriryayo Pascal", "Mukarwego Agnes", "Nzabonimpa Felix", "Ingabire Yvonne",
    "Gatete Dieudonne", "Mukeshimana Odette", "Karangwa Joseph", "Umuhoza Divine",
)
TRAINEES = (
    "Iradukunda Bosco", "Mutoni Sandrine", "Ishimwe Kevin", "Uwase Noella", "Manzi Eric",
    "Irakoze Aline", "Ganza Didier", "Keza Liliane", "Shema Arnaud", "Umwali Grace",
    "Mugabo Jean Claude", "Igihozo Ariane",
)
TRADES = ("Tailoring", "Welding", "Hairdressing", "Masonry", "Carpentry", "Electricity")

# days after next Monday, time, topic, venue, audience
TRAININGS = (
    (1, "09:30", "Cooperative governance", "Rubavu district hall", "district:Rubavu"),
    (2, "14:00", "VSLA methodology", "Ku biro by'akagari ka Nengo", "vsla:Twiyubake"),
    (3, "10:00", "Business plan", VTC, f"vtc:{VTC}"),
    (7, "09:00", "Financial literacy", "Umurenge wa Gikondo", "all"),
    (8, "14:00", "Market opportunities", "Gisenyi market hall", "cooperative:Abakora Neza"),
    (10, "09:00", "Financial management", "Mukamira sector office", "district:Nyabihu"),
    (14, "10:00", "Labour unions", "Kabaya sector office", "cooperative:Imbaraga"),
)

#: Some topics in each language (topic_rw, topic_en, topic_fr); the others show marked English.
TOPICS = {
    "Cooperative governance": ("Imiyoborere ya koperative", "", "Gouvernance des coopératives"),
    "VSLA methodology": ("Uko itsinda ryo kuzigama no kugurizanya rikora", "",
                         "Méthode des groupes d'épargne"),
    "Financial literacy": ("Ubumenyi ku micungire y'amafaranga", "", "Éducation financière"),
}


def seed_demo(context: Context) -> None:
    """Load (or refresh) the demo data; running it twice changes nothing."""
    today = datetime.now(ZoneInfo(context.settings.tz)).date()
    for kind, rows in _tables(today):
        header = [c.name for c in KINDS[kind].columns]
        lines = [[str(v) for v in row] + [""] * (len(header) - len(row)) for row in rows]
        sheet = sheet_from_lines(iter([header, *lines]), kind)
        report = import_sheet(context, kind, sheet)
        if report.problems:
            raise RuntimeError(f"demo {kind}: " + "; ".join(map(str, report.problems)))
    _earlier_steps(context, today)
    _waiting_list(context, today)


def _waiting_list(context: Context, today: date) -> None:
    """A few VSLA members on the TVET waiting list (asking again changes nothing)."""
    with context.db.session() as session:
        for n, (phone, trade) in enumerate(WAITING):
            person = session.scalar(select(Person).where(Person.phone == phone))
            if person is not None:
                asked = datetime.now(UTC) - timedelta(days=30 - 10 * n)
                ask_for_trade(session, person, trade, today=today, now=asked)


def seed_if_empty(context: Context) -> bool:
    """Seed the demo data when the database has no one in it yet; True when it did."""
    with context.db.session() as session:
        if session.scalar(select(Person.id).limit(1)) is not None:
            return False
    seed_demo(context)
    return True


def _tables(today: date) -> Iterator[tuple[str, list[tuple[object, ...]]]]:
    """The import tables, in import order."""
    month = today.replace(day=1)
    yield "vslas", [
        (name, district, SECTORS[district][0], day, at, place, share)
        for name, district, day, at, place, share in VSLAS
    ]
    yield "cooperatives", [
        (name, chain, district, SECTORS[district][0], stages[-1],
         _step_date(month, len(stages) - 1, len(stages)),
         note if stages[-1] == "certified" else "", note if stages[-1] == "rejected" else "")
        for name, chain, district, stages, note in COOPERATIVES
    ]
    people = [
        (*row[:9], "", "yes" if row[0] in {r[0] for r in DEMO_PEOPLE[:n]} else "")
        for n, row in enumerate(DEMO_PEOPLE)
    ]
    names = iter(NAMES)
    for v, (vsla, district, *_rest) in enumerate(VSLAS):
        cooperative = next(c[0] for c in COOPERATIVES if c[2] == district)
        for m in range(4):
            people.append((f"+25078811{v}{m:03d}", next(names), "rw", "member", district,
                           SECTORS[district][m % 3], vsla, cooperative if m % 2 else "", ""))
    yield "people", [(*row, "", DEMO_IDS[row[0]]) if row[0] in DEMO_IDS else row
                     for row in people]
    yield "ledger", list(_ledger(people, month, today))
    start = (month - timedelta(days=80)).replace(day=1)
    yield "intakes", [
        (VTC, "Rubavu", trade, start, start + timedelta(days=300), "08:00") for trade in TRADES
    ]
    yield "trainees", [
        (f"T{n:04d}", f"+25078812{n:04d}", name, TRADES[n % len(TRADES)], VTC, "+250788100010",
         start)
        for n, name in enumerate(TRAINEES, start=1)
    ]
    monday = today + timedelta(days=7 - today.weekday())
    yield "trainings", [
        (topic, f"{monday + timedelta(days=days)} {at}", venue, audience,
         *TOPICS.get(topic, ("", "", "")))
        for days, at, topic, venue, audience in TRAININGS
    ]


def _ledger(people: list[tuple[object, ...]], month: date,
            today: date) -> Iterator[tuple[object, ...]]:
    """Four months of shares and social fund for every member; a loan, a repayment, a fine."""
    shares = {name: share for name, *_rest, share in VSLAS}
    for phone, name, _lang, _roles, _district, _sector, vsla, *_rest in people:
        if not vsla:
            continue
        # on the shared phone, the name says whose row it is (and keeps references apart)
        who, mine = (name, f"-{str(name).split()[-1]}") if phone == HOUSEHOLD else ("", "")
        for back in range(4, 0, -1):
            on = _months_before(month, back).replace(day=5)
            count = 2 + (int(str(phone)[-1]) + back + len(mine)) % 3  # Ange and Samuel differ
            ref = f"demo-{phone}-{on}"
            yield phone, vsla, on, "shares", count * shares[vsla], f"{ref}-shares{mine}", "", who
            yield phone, vsla, on, "social_fund", 200, f"{ref}-social{mine}", "", who
    aline = "+250788100001"
    loan_day = _months_before(month, 2).replace(day=12)
    due = today + timedelta(days=20)
    yield aline, "Twiyubake", loan_day, "loan", 30000, "demo-loan-1", due
    yield aline, "Twiyubake", loan_day + timedelta(days=30), "repayment", 10000, "demo-repay-1"
    yield "+250788100002", "Twiyubake", _months_before(month, 1), "fine", 500, "demo-fine-1"
    jean = "+250788100003"
    yield jean, "Dufatanye", _months_before(month, 1), "loan", 20000, "demo-loan-2", due
    yield jean, "Dufatanye", month, "repayment", 5000, "demo-repay-2"


def _months_before(month: date, back: int) -> date:
    year, index = divmod(month.year * 12 + month.month - 1 - back, 12)
    return date(year, index + 1, 1)


def _step_date(month: date, step: int, steps: int) -> date:
    """The date of registration step `step` of `steps`: about a month apart, the last recent."""
    return month - timedelta(days=30 * (steps - 1 - step) + 10)


def _earlier_steps(context: Context, today: date) -> None:
    """Each cooperative's steps before the one it stands at (the import records that one)."""
    month = today.replace(day=1)
    with context.db.session() as session:
        for name, _chain, _district, stages, _note in COOPERATIVES:
            coop = session.scalar(select(Cooperative).where(Cooperative.name == name))
            assert coop is not None
            have = {step.stage for step in coop.history}
            for step, stage in enumerate(stages[:-1]):
                if Stage(stage) not in have:
                    coop.history.append(
                        StageChange(stage=Stage(stage), date=_step_date(month, step, len(stages)))
                    )
