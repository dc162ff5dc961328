"""Cooperatives: the registration pipeline (how many at each stage, who is there and since
when) and each cooperative's history."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload

from ikimina.console import bp
from ikimina.console.dashboard import cooperatives_by_stage
from ikimina.console.web import db, get_or_404, lang, paginate, people_by
from models import Cooperative, Person, PersonRole, Role, Stage
from models.registration import next_step

#: Stages in the order they are passed, for sorting the pipeline.
STAGE_ORDER = case({stage.value: n for n, stage in enumerate(Stage)}, value=Cooperative.stage)


@bp.get("/cooperatives")
def cooperatives() -> str:
    stage = request.args.get("stage", "")
    stmt = select(Cooperative).options(
        joinedload(Cooperative.district), joinedload(Cooperative.sector)
    )
    if stage in {s.value for s in Stage}:
        stmt = stmt.where(Cooperative.stage == Stage(stage))
    page = paginate(
        stmt.order_by(STAGE_ORDER, Cooperative.stage_date, Cooperative.name, Cooperative.id)
    )
    return render_template(
        "console/cooperatives.html", page=page, stages=cooperatives_by_stage(), stage=stage
    )


@bp.get("/cooperatives/<int:cooperative_id>")
def cooperative(cooperative_id: int) -> str:
    coop = get_or_404(
        Cooperative,
        cooperative_id,
        joinedload(Cooperative.district),
        joinedload(Cooperative.sector),
        selectinload(Cooperative.history),
    )
    leaders = db().scalars(
        select(Person)
        .join(PersonRole)
        .where(Person.cooperative_id == coop.id, PersonRole.role == Role.LEADER)
        .order_by(Person.name)
    ).all()
    members = paginate(
        select(Person).where(Person.cooperative_id == coop.id).order_by(Person.name, Person.id),
        "members",
    )
    recorders = people_by(Person.id, {change.recorded_by_id for change in coop.history})
    return render_template(
        "console/cooperative.html",
        coop=coop,
        history=list(reversed(coop.history)),
        recorders=recorders,
        leaders=leaders,
        members=members,
        next_step=next_step(coop, lang()),
    )

