"""shared phones: several people on one phone number; who an SMS from a shared phone ran as

Revision ID: 0006_shared_phones
Revises: 0005
Create Date: 2026-12-01 21:00:00

`people.phone` keeps an index but is no longer unique. `inbound_sms.person_id` records who a
message ran as, `inbound_sms.answers_id` the "who is sending?" question a reply answered.
Going back down is refused while a phone is shared: the unique constraint could not hold.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0006_shared_phones"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_people_phone'), type_='unique')
        batch_op.create_index(batch_op.f('ix_people_phone'), ['phone'], unique=False)

    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answers_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_inbound_sms_person_id_people'), 'people', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_inbound_sms_answers_id_inbound_sms'), 'inbound_sms', ['answers_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_inbound_sms_answers_id'), ['answers_id'])


def downgrade() -> None:
    shared = op.get_bind().execute(sa.text(
        "SELECT phone, COUNT(*) FROM people GROUP BY phone HAVING COUNT(*) > 1 ORDER BY phone"
    )).all()
    if shared:
        phones = ", ".join(f"{phone} ({n} people)" for phone, n in shared[:5])
        raise RuntimeError(
            f"cannot go back below 0006_shared_phones: {len(shared)} phone(s) are shared, "
            f"e.g. {phones}; give each person their own phone first"
        )
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_inbound_sms_answers_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_inbound_sms_answers_id_inbound_sms'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_inbound_sms_person_id_people'), type_='foreignkey')
        batch_op.drop_column('answers_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_phone'))
        batch_op.create_unique_constraint(batch_op.f('uq_people_phone'), ['phone'])
