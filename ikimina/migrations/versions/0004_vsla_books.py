"""vsla books: the group keeps its own books (constitution per cycle, officers, meetings,
loans, disputes, share-out); the ledger becomes append-only with reversals

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 17:50:53.307126
"""

from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vsla_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='cyclestatus', native_enum=False, length=32), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('planned_share_out_on', sa.Date(), nullable=False),
    sa.Column('share_value', sa.Integer(), nullable=False),
    sa.Column('shares_min', sa.Integer(), nullable=False),
    sa.Column('shares_max', sa.Integer(), nullable=False),
    sa.Column('social_fund_per_meeting', sa.Integer(), nullable=False),
    sa.Column('charge_mode', sa.Enum('flat', 'monthly', name='chargemode', native_enum=False, length=32), nullable=False),
    sa.Column('charge_rate_bp', sa.Integer(), nullable=False),
    sa.Column('max_loan_multiple', sa.Integer(), nullable=False),
    sa.Column('term_limit_months', sa.Integer(), nullable=False),
    sa.Column('social_fund_shared', sa.Boolean(), nullable=False),
    sa.Column('fine_late', sa.Integer(), nullable=False),
    sa.Column('fine_absent', sa.Integer(), nullable=False),
    sa.Column('fine_misconduct', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('charge_rate_bp BETWEEN 0 AND 5000', name=op.f('ck_vsla_cycles_charge')),
    sa.CheckConstraint('fine_late >= 0 AND fine_absent >= 0 AND fine_misconduct >= 0', name=op.f('ck_vsla_cycles_fines')),
    sa.CheckConstraint('max_loan_multiple BETWEEN 1 AND 10', name=op.f('ck_vsla_cycles_multiple')),
    sa.CheckConstraint('planned_share_out_on > starts_on', name=op.f('ck_vsla_cycles_dates')),
    sa.CheckConstraint('share_value >= 0', name=op.f('ck_vsla_cycles_share_value')),
    sa.CheckConstraint('shares_min >= 0 AND shares_min <= shares_max AND shares_max <= 10', name=op.f('ck_vsla_cycles_shares')),
    sa.CheckConstraint('social_fund_per_meeting >= 0', name=op.f('ck_vsla_cycles_social')),
    sa.CheckConstraint('term_limit_months BETWEEN 1 AND 12', name=op.f('ck_vsla_cycles_term')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_vsla_cycles_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_cycles')),
    sa.UniqueConstraint('vsla_id', 'number', name=op.f('uq_vsla_cycles_vsla_id_number'))
    )
    with op.batch_alter_table('vsla_cycles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_cycles_vsla_id'), ['vsla_id'], unique=False)
        batch_op.create_index('uq_vsla_cycles_live', ['vsla_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('vsla_cycle_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('joined_on', sa.Date(), nullable=False),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.CheckConstraint('number >= 1', name=op.f('ck_vsla_cycle_members_number')),
    sa.ForeignKeyConstraint(['cycle_id'], ['vsla_cycles.id'], name=op.f('fk_vsla_cycle_members_cycle_id_vsla_cycles')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_cycle_members_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_cycle_members')),
    sa.UniqueConstraint('cycle_id', 'number', name=op.f('uq_vsla_cycle_members_cycle_id_number')),
    sa.UniqueConstraint('cycle_id', 'person_id', name=op.f('uq_vsla_cycle_members_cycle_id_person_id'))
    )
    with op.batch_alter_table('vsla_cycle_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_cycle_members_person_id'), ['person_id'], unique=False)

    op.create_table('vsla_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'closed', name='meetingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('reopened_times', sa.Integer(), nullable=False),
    sa.Column('opening_loan_cash', sa.Integer(), nullable=False),
    sa.Column('opening_social_cash', sa.Integer(), nullable=False),
    sa.Column('closing_loan_cash', sa.Integer(), nullable=True),
    sa.Column('closing_social_cash', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['vsla_cycles.id'], name=op.f('fk_vsla_meetings_cycle_id_vsla_cycles')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['people.id'], name=op.f('fk_vsla_meetings_opened_by_id_people')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_vsla_meetings_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_meetings')),
    sa.UniqueConstraint('cycle_id', 'number', name=op.f('uq_vsla_meetings_cycle_id_number')),
    sa.UniqueConstraint('vsla_id', 'held_on', name=op.f('uq_vsla_meetings_vsla_id_held_on'))
    )
    with op.batch_alter_table('vsla_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_meetings_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_meetings_vsla_id'), ['vsla_id'], unique=False)
        batch_op.create_index('uq_vsla_meetings_open', ['vsla_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('vsla_officers',
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('office', sa.Enum('chairperson', 'secretary', 'treasurer', 'money_counter', 'leader', name='vslaoffice', native_enum=False, length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_officers_person_id_people')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_vsla_officers_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('vsla_id', 'office', 'person_id', name=op.f('pk_vsla_officers'))
    )
    with op.batch_alter_table('vsla_officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_officers_person_id'), ['person_id'], unique=False)

    op.create_table('vsla_share_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'approved', 'paid', name='shareoutstatus', native_enum=False, length=32), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('distributable', sa.Integer(), nullable=False),
    sa.Column('total_shares', sa.Integer(), nullable=False),
    sa.Column('remainder', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_1_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_2_id', sa.Integer(), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('approved_by_2_id IS NULL OR approved_by_2_id <> approved_by_1_id', name=op.f('ck_vsla_share_outs_two_keys')),
    sa.ForeignKeyConstraint(['approved_by_1_id'], ['people.id'], name=op.f('fk_vsla_share_outs_approved_by_1_id_people')),
    sa.ForeignKeyConstraint(['approved_by_2_id'], ['people.id'], name=op.f('fk_vsla_share_outs_approved_by_2_id_people')),
    sa.ForeignKeyConstraint(['cycle_id'], ['vsla_cycles.id'], name=op.f('fk_vsla_share_outs_cycle_id_vsla_cycles')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['people.id'], name=op.f('fk_vsla_share_outs_paid_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_share_outs')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_vsla_share_outs_cycle_id'))
    )
    op.create_table('vsla_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=160), nullable=False),
    sa.Column('status', sa.Enum('open', 'corrected', 'rejected', name='disputestatus', native_enum=False, length=32), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['vsla_meetings.id'], name=op.f('fk_vsla_disputes_meeting_id_vsla_meetings')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_disputes_person_id_people')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_vsla_disputes_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_disputes'))
    )
    with op.batch_alter_table('vsla_disputes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_disputes_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_disputes_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_disputes_vsla_id'), ['vsla_id'], unique=False)

    op.create_table('vsla_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'repaid', 'settled', 'rejected', 'cancelled', name='loanstatus', native_enum=False, length=32), nullable=False),
    sa.Column('principal', sa.Integer(), nullable=False),
    sa.Column('charge', sa.Integer(), nullable=False),
    sa.Column('charge_mode', sa.Enum('flat', 'monthly', name='chargemode', native_enum=False, length=32), nullable=False),
    sa.Column('charge_rate_bp', sa.Integer(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('disbursed_on', sa.Date(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), nullable=False),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id <> requested_by_id', name=op.f('ck_vsla_loans_two_keys')),
    sa.CheckConstraint('principal > 0 AND charge >= 0', name=op.f('ck_vsla_loans_money')),
    sa.CheckConstraint('term_months BETWEEN 1 AND 12', name=op.f('ck_vsla_loans_term')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['people.id'], name=op.f('fk_vsla_loans_approved_by_id_people')),
    sa.ForeignKeyConstraint(['cycle_id'], ['vsla_cycles.id'], name=op.f('fk_vsla_loans_cycle_id_vsla_cycles')),
    sa.ForeignKeyConstraint(['meeting_id'], ['vsla_meetings.id'], name=op.f('fk_vsla_loans_meeting_id_vsla_meetings')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_loans_person_id_people')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['people.id'], name=op.f('fk_vsla_loans_requested_by_id_people')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_vsla_loans_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_loans'))
    )
    with op.batch_alter_table('vsla_loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_loans_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_loans_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_loans_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vsla_loans_vsla_id'), ['vsla_id'], unique=False)
        batch_op.create_index('uq_vsla_loans_one_live', ['person_id'], unique=True, sqlite_where=sa.text("status IN ('pending', 'active')"), postgresql_where=sa.text("status IN ('pending', 'active')"))

    op.create_table('vsla_meeting_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('attendance', sa.Enum('present', 'absent', 'represented', name='attendance', native_enum=False, length=32), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('social_fund', sa.Integer(), nullable=False),
    sa.Column('repayment', sa.Integer(), nullable=False),
    sa.Column('fine', sa.Integer(), nullable=False),
    sa.Column('fine_kind', sa.Enum('late', 'absent', 'misconduct', 'other', name='finekind', native_enum=False, length=32), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('receipted_version', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(fine = 0 AND fine_kind IS NULL) OR (fine > 0 AND fine_kind IS NOT NULL)', name=op.f('ck_vsla_meeting_entries_fine')),
    sa.CheckConstraint('shares >= 0 AND social_fund >= 0 AND repayment >= 0 AND fine >= 0', name=op.f('ck_vsla_meeting_entries_amounts')),
    sa.ForeignKeyConstraint(['meeting_id'], ['vsla_meetings.id'], name=op.f('fk_vsla_meeting_entries_meeting_id_vsla_meetings')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_meeting_entries_person_id_people')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_vsla_meeting_entries_recorded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_meeting_entries')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_vsla_meeting_entries_meeting_id_person_id'))
    )
    with op.batch_alter_table('vsla_meeting_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_meeting_entries_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('vsla_share_out_lines',
    sa.Column('share_out_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('shares', sa.Integer(), nullable=False),
    sa.Column('gross', sa.Integer(), nullable=False),
    sa.Column('debt', sa.Integer(), nullable=False),
    sa.Column('payout', sa.Integer(), nullable=False),
    sa.CheckConstraint('payout = gross - debt AND payout >= 0', name=op.f('ck_vsla_share_out_lines_payout')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_vsla_share_out_lines_person_id_people')),
    sa.ForeignKeyConstraint(['share_out_id'], ['vsla_share_outs.id'], name=op.f('fk_vsla_share_out_lines_share_out_id_vsla_share_outs')),
    sa.PrimaryKeyConstraint('share_out_id', 'person_id', name=op.f('pk_vsla_share_out_lines'))
    )
    op.create_table('vsla_instalments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('principal', sa.Integer(), nullable=False),
    sa.Column('charge', sa.Integer(), nullable=False),
    sa.CheckConstraint('principal >= 0 AND charge >= 0', name=op.f('ck_vsla_instalments_money')),
    sa.ForeignKeyConstraint(['loan_id'], ['vsla_loans.id'], name=op.f('fk_vsla_instalments_loan_id_vsla_loans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vsla_instalments')),
    sa.UniqueConstraint('loan_id', 'number', name=op.f('uq_vsla_instalments_loan_id_number'))
    )
    with op.batch_alter_table('vsla_instalments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vsla_instalments_loan_id'), ['loan_id'], unique=False)

    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('meeting_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('loan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('share_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), server_default='import', nullable=False))
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.String(length=200), nullable=True))
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.drop_constraint(batch_op.f('uq_ledger_entries_vsla_id_reference'), type_='unique')
        batch_op.create_index(batch_op.f('ix_ledger_entries_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_loan_id'), ['loan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_entries_reverses_id'), ['reverses_id'])
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_entries_vsla_id_reference_revision'), ['vsla_id', 'reference', 'revision'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entries_meeting_id_vsla_meetings'), 'vsla_meetings', ['meeting_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entries_recorded_by_id_people'), 'people', ['recorded_by_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entries_loan_id_vsla_loans'), 'vsla_loans', ['loan_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entries_reverses_id_ledger_entries'), 'ledger_entries', ['reverses_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_ledger_entries_cycle_id_vsla_cycles'), 'vsla_cycles', ['cycle_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_ledger_entries_sign'), "(reverses_id IS NULL AND amount > 0) OR (reverses_id IS NOT NULL AND amount < 0)")
        batch_op.create_check_constraint(op.f('ck_ledger_entries_share_count'), "share_count IS NULL OR kind = 'shares'")

    _give_existing_groups_a_cycle()


def _give_existing_groups_a_cycle() -> None:
    """Every existing group gets cycle 1 at its share value (starting on its first ledger date,
    or today), its people numbered by id, and its imported ledger rows in that cycle, with a
    share count where the amount is a whole number of shares."""
    bind = op.get_bind()
    vslas = sa.table('vslas', sa.column('id', sa.Integer), sa.column('share_value', sa.Integer))
    people = sa.table('people', sa.column('id', sa.Integer), sa.column('vsla_id', sa.Integer))
    ledger = sa.table('ledger_entries', sa.column('vsla_id', sa.Integer), sa.column('date', sa.Date), sa.column('cycle_id', sa.Integer))
    names = ('vsla_id', 'number', 'status', 'starts_on', 'planned_share_out_on', 'share_value', 'shares_min', 'shares_max', 'social_fund_per_meeting', 'charge_mode', 'charge_rate_bp', 'max_loan_multiple', 'term_limit_months', 'social_fund_shared', 'fine_late', 'fine_absent', 'fine_misconduct', 'created_at')
    cycles = sa.table('vsla_cycles', sa.column('id', sa.Integer), *(sa.column(n) for n in names))
    members = sa.table('vsla_cycle_members', sa.column('cycle_id'), sa.column('person_id'), sa.column('number'), sa.column('joined_on'))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for vsla_id, share_value in bind.execute(sa.select(vslas.c.id, vslas.c.share_value).order_by(vslas.c.id)).all():
        first = bind.execute(sa.select(sa.func.min(ledger.c.date)).where(ledger.c.vsla_id == vsla_id)).scalar()
        start = date.fromisoformat(first) if isinstance(first, str) else (first or now.date())
        bind.execute(cycles.insert().values(
            vsla_id=vsla_id, number=1, status='open', starts_on=start,
            planned_share_out_on=start + timedelta(days=364), share_value=share_value,
            shares_min=1, shares_max=5, social_fund_per_meeting=0, charge_mode='flat',
            charge_rate_bp=1000, max_loan_multiple=3, term_limit_months=3,
            social_fund_shared=False, fine_late=0, fine_absent=0, fine_misconduct=0, created_at=now,
        ))
        cycle_id = bind.execute(sa.select(cycles.c.id).where(cycles.c.vsla_id == vsla_id)).scalar()
        listed = bind.execute(sa.select(people.c.id).where(people.c.vsla_id == vsla_id).order_by(people.c.id)).scalars().all()
        if listed:
            bind.execute(members.insert(), [
                {'cycle_id': cycle_id, 'person_id': pid, 'number': n, 'joined_on': start}
                for n, pid in enumerate(listed, start=1)
            ])
        bind.execute(ledger.update().where(ledger.c.vsla_id == vsla_id).values(cycle_id=cycle_id))
        if share_value > 0:
            bind.execute(
                sa.text("UPDATE ledger_entries SET share_count = amount / :value "
                        "WHERE vsla_id = :vsla AND kind = 'shares' AND amount = (amount / :value) * :value"),
                {'value': share_value, 'vsla': vsla_id},
            )


def downgrade() -> None:
    if op.get_bind().execute(sa.text('SELECT COUNT(*) FROM vsla_meetings')).scalar():
        raise RuntimeError(
            'Savings groups have kept meetings in their books; downgrading would lose them. '
            'Export them first, then delete the meetings if you really mean it.'
        )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ledger_entries_share_count'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_ledger_entries_sign'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_ledger_entries_cycle_id_vsla_cycles'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ledger_entries_reverses_id_ledger_entries'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ledger_entries_loan_id_vsla_loans'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ledger_entries_recorded_by_id_people'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ledger_entries_meeting_id_vsla_meetings'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_ledger_entries_vsla_id_reference_revision'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_ledger_entries_reverses_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_loan_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_cycle_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_ledger_entries_vsla_id_reference'), ['vsla_id', 'reference'])
        batch_op.alter_column('person_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('note')
        batch_op.drop_column('recorded_by_id')
        batch_op.drop_column('channel')
        batch_op.drop_column('reverses_id')
        batch_op.drop_column('revision')
        batch_op.drop_column('share_count')
        batch_op.drop_column('loan_id')
        batch_op.drop_column('meeting_id')
        batch_op.drop_column('cycle_id')

    with op.batch_alter_table('vsla_instalments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vsla_instalments_loan_id'))

    op.drop_table('vsla_instalments')
    op.drop_table('vsla_share_out_lines')
    with op.batch_alter_table('vsla_meeting_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vsla_meeting_entries_meeting_id'))

    op.drop_table('vsla_meeting_entries')
    with op.batch_alter_table('vsla_loans', schema=None) as batch_op:
        batch_op.drop_index('uq_vsla_loans_one_live', sqlite_where=sa.text("status IN ('pending', 'active')"), postgresql_where=sa.text("status IN ('pending', 'active')"))
        batch_op.drop_index(batch_op.f('ix_vsla_loans_vsla_id'))
        batch_op.drop_index(batch_op.f('ix_vsla_loans_person_id'))
        batch_op.drop_index(batch_op.f('ix_vsla_loans_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_vsla_loans_cycle_id'))

    op.drop_table('vsla_loans')
    with op.batch_alter_table('vsla_disputes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vsla_disputes_vsla_id'))
        batch_op.drop_index(batch_op.f('ix_vsla_disputes_status'))
        batch_op.drop_index(batch_op.f('ix_vsla_disputes_meeting_id'))

    op.drop_table('vsla_disputes')
    op.drop_table('vsla_share_outs')
    with op.batch_alter_table('vsla_officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vsla_officers_person_id'))

    op.drop_table('vsla_officers')
    with op.batch_alter_table('vsla_meetings', schema=None) as batch_op:
        batch_op.drop_index('uq_vsla_meetings_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_vsla_meetings_vsla_id'))
        batch_op.drop_index(batch_op.f('ix_vsla_meetings_cycle_id'))

    op.drop_table('vsla_meetings')
    with op.batch_alter_table('vsla_cycle_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vsla_cycle_members_person_id'))

    op.drop_table('vsla_cycle_members')
    with op.batch_alter_table('vsla_cycles', schema=None) as batch_op:
        batch_op.drop_index('uq_vsla_cycles_live', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_vsla_cycles_vsla_id'))

    op.drop_table('vsla_cycles')
