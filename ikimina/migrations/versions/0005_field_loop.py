"""field loop: intakes, the TVET waiting list, absence reasons, join requests that become people

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REASON = sa.Enum('sick', 'transport', 'work', 'family', 'unknown', name='absencereason', native_enum=False, length=32)


def upgrade() -> None:
    op.create_table('intakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vtc_id', sa.Integer(), nullable=False),
    sa.Column('trade', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('end_date > start_date', name=op.f('ck_intakes_dates')),
    sa.ForeignKeyConstraint(['vtc_id'], ['vtcs.id'], name=op.f('fk_intakes_vtc_id_vtcs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intakes')),
    sa.UniqueConstraint('vtc_id', 'trade', 'start_date', name=op.f('uq_intakes_vtc_id_trade_start_date'))
    )
    with op.batch_alter_table('intakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_intakes_vtc_id'), ['vtc_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_intakes_end_date'), ['end_date'], unique=False)

    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intake_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('replaces_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('nudged_from', sa.Date(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_trainees_intake_id_intakes'), 'intakes', ['intake_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_trainees_replaces_id_trainees'), 'trainees', ['replaces_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_trainees_intake_id'), ['intake_id'], unique=False)

    op.create_table('tvet_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('trade', sa.String(length=80), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'enrolled', 'withdrawn', name='tvetrequeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_tvet_requests_district_id_districts')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_tvet_requests_person_id_people')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], name=op.f('fk_tvet_requests_trainee_id_trainees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tvet_requests'))
    )
    with op.batch_alter_table('tvet_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tvet_requests_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tvet_requests_status'), ['status'], unique=False)
        batch_op.create_index('ix_tvet_requests_queue', ['district_id', 'status', 'requested_at'], unique=False)

    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', REASON, server_default='unknown', nullable=False))

    with op.batch_alter_table('absence_cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', REASON, nullable=True))
        batch_op.add_column(sa.Column('replacement_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_absence_cases_replacement_id_trainees'), 'trainees', ['replacement_id'], ['id'])

    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('vsla_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('enrolled_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('enrolled_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_join_requests_person_id_people'), 'people', ['person_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_join_requests_vsla_id_vslas'), 'vslas', ['vsla_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_join_requests_enrolled_by_id_people'), 'people', ['enrolled_by_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_join_requests_person_id'), ['person_id'], unique=False)

    op.create_table('cooperative_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(length=40), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_cooperative_documents_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_cooperative_documents_recorded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperative_documents')),
    sa.UniqueConstraint('cooperative_id', 'document', name=op.f('uq_cooperative_documents_cooperative_id_document'))
    )
    with op.batch_alter_table('cooperative_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperative_documents_cooperative_id'), ['cooperative_id'], unique=False)

    op.execute("UPDATE trainees SET status = 'dropped' WHERE status = 'replaced'")


def downgrade() -> None:
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_join_requests_person_id'))
        batch_op.drop_constraint(batch_op.f('fk_join_requests_enrolled_by_id_people'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_join_requests_vsla_id_vslas'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_join_requests_person_id_people'), type_='foreignkey')
        batch_op.drop_column('enrolled_by_id')
        batch_op.drop_column('enrolled_at')
        batch_op.drop_column('vsla_id')
        batch_op.drop_column('person_id')

    with op.batch_alter_table('absence_cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_absence_cases_replacement_id_trainees'), type_='foreignkey')
        batch_op.drop_column('replacement_id')
        batch_op.drop_column('reason')

    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_column('reason')

    op.drop_table('cooperative_documents')
    op.drop_table('tvet_requests')

    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainees_intake_id'))
        batch_op.drop_constraint(batch_op.f('fk_trainees_replaces_id_trainees'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_trainees_intake_id_intakes'), type_='foreignkey')
        batch_op.drop_column('nudged_from')
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('replaces_id')
        batch_op.drop_column('intake_id')

    op.drop_table('intakes')
