"""A household's one phone in the console: a person's page names the others on their phone, and
enrolling a join request from a phone already used by others needs the shared box ticked."""

from __future__ import annotations

from sqlalchemy import select
from support import factories as make
from support.console import add_staff, post, sign_in

from models import JoinRequest, OutboundSms, Person

HOUSEHOLD = "+250788177001"


def test_a_persons_page_names_the_others_on_their_phone(context, client) -> None:
    with context.db.session() as s:
        ange = make.person(s, HOUSEHOLD, "Mukamana Ange").id
        samuel = make.person(s, HOUSEHOLD, "Habineza Samuel").id
        alone = make.person(s, "+250788177002", "Keza Liliane").id
    add_staff(context)
    sign_in(client)
    page = client.get(f"/console/people/{ange}").get_data(as_text=True)
    assert f'<a href="/console/people/{samuel}">Habineza Samuel</a>' in page
    assert "Dialling asks who is calling; each has their own PIN." in page
    assert "Same phone" not in client.get(f"/console/people/{alone}").get_data(as_text=True)


def test_enrolling_a_new_name_on_a_used_phone_needs_the_shared_box(context, client) -> None:
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake")
        make.person(s, HOUSEHOLD, "Mukamana Ange", vsla=group)
        make.person(s, HOUSEHOLD, "Habineza Samuel", vsla=group)
        join = JoinRequest(phone=HOUSEHOLD, name="Uwera Josiane", language="rw")
        s.add(join)
        s.flush()
        join_id, group_id = join.id, group.id
    add_staff(context)
    sign_in(client)
    page = "/console/join-requests"
    assert 'name="shared" value="1"' in client.get(page).get_data(as_text=True)
    enrol = f"/console/join-requests/{join_id}/enrol"
    post(client, enrol, {"vsla_id": group_id}, page)
    assert (
        "This phone is already used by Mukamana Ange, Habineza Samuel and nobody of that name: "
        "tick &#39;shared phone&#39; to add Uwera Josiane to it."
    ) in client.get(page).get_data(as_text=True)
    post(client, enrol, {"vsla_id": group_id, "shared": "1"}, page)
    with context.db.session() as s:
        names = s.scalars(select(Person.name).where(Person.phone == HOUSEHOLD).order_by(Person.id))
        assert names.all() == ["Mukamana Ange", "Habineza Samuel", "Uwera Josiane"]
        [welcome] = s.scalars(select(OutboundSms).where(OutboundSms.kind == "welcome")).all()
        assert "Uwera Josiane" in welcome.text  # it names her already: no "Kuri Josiane:"
