"""Two reports that put the same trainee at risk at once (an SMS and a USSD report, two
workers) open one case: `check` locks the trainee's row. PostgreSQL only: SQLite writes one at
a time anyway. This kills mutmut's `with_for_update` survivors, which scripts/mutate (SQLite)
cannot see."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.sms import trainee

from models import Absence, AbsenceCase, Channel
from models.at_risk import check, monday


def test_two_checks_at_once_open_one_case(context, world) -> None:
    if not context.settings.database_url.startswith("postgresql"):
        pytest.skip("row locks: PostgreSQL only")
    m = monday(world.today)
    with context.db.session() as s:
        grace = trainee(s, "T0042")
        for day in (m - timedelta(days=14), m - timedelta(days=6)):
            s.add(Absence(trainee_id=grace.id, day=day, channel=Channel.SMS))
        grace_id = grace.id
    outcome: list[object] = []

    def second_check() -> None:
        with context.db.session() as s:
            outcome.append(check(s, trainee(s, "T0042"), today=world.today, threshold=0))

    with context.db.session() as first:
        assert check(first, trainee(first, "T0042"), today=world.today, threshold=0) is not None
        racing = threading.Thread(target=second_check)
        racing.start()
        time.sleep(1.0)
        assert racing.is_alive()  # waits for the first check's lock
    racing.join(timeout=10)
    assert outcome == [None]
    with context.db.session() as s:
        opened = s.scalars(select(AbsenceCase.trainee_id)).all()
    assert opened == [grace_id]
