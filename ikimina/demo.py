"""What a newcomer reads when the demo starts: the URL, the demo phones, curl examples."""

from __future__ import annotations

from sqlalchemy import select

from models import Person
from runtime.context import Context
from spreadsheets.demo_data import DEMO_PEOPLE


def how_to_try(context: Context, base_url: str, seeded: bool) -> str:
    """What a newcomer reads: the URL, the demo phones and what each can try, curl examples."""
    with context.db.session() as session:
        known = {p.phone: p for p in session.scalars(select(Person).where(
            Person.phone.in_([row[0] for row in DEMO_PEOPLE])))}
    code = context.settings.ussd_service_code
    lines = [
        f"ikimina demo at {base_url}  "
        + ("(demo data loaded)" if seeded else "(using the data already in the database)"),
        "",
        "Open the phone simulator in a browser: dial the USSD code as any phone, answer each",
        "screen, send SMS and read the replies (e.g. Uwase Aline: 1, type 4417, the last digits",
        "of her national ID, choose a PIN, read her balance in Kinyarwanda):",
        f"  {base_url}/simulator?phone=0788100001",
        "",
        "Demo phones (any other number, e.g. +250788199999, is unknown: ask to join):",
    ]
    for phone, name, lang, roles, *_rest, what in DEMO_PEOPLE:
        if phone in known:
            lines.append(f"  {phone}  {name} ({roles.replace(';', ', ')}, {lang}): {what}")
    lines += [
        "",
        "In another terminal in this folder (without DATABASE_URL: the demo's database):",
        "  . .venv/bin/activate",
        "  ikimina dial +250788100001",
        "  ikimina create-staff admin --admin     (then sign in at "
        f"{base_url}/console/login)",
        "Or call the USSD endpoint as Africa's Talking does (each answer is added to text,",
        "separated by *, e.g. text=1 then text=1*2):",
        f"  curl -s {base_url}/ussd --data-urlencode sessionId=demo-1 \\",
        f"    --data-urlencode 'serviceCode={code}' --data-urlencode phoneNumber=+250788100001 \\",
        "    --data-urlencode networkCode=63510 --data-urlencode text=",
        f"Health:  curl -s {base_url}/healthz",
    ]
    return "\n".join(lines)
