"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 18:23:34.105334
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('delivery_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at_message_id', sa.String(length=100), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('failure_reason', sa.String(length=100), nullable=True),
    sa.Column('network_code', sa.String(length=10), nullable=True),
    sa.Column('retry_count', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('matched', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_reports'))
    )
    with op.batch_alter_table('delivery_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_reports_at_message_id'), ['at_message_id'], unique=False)

    op.create_table('outbox_pauses',
    sa.Column('queue', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('since', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('queue', name=op.f('pk_outbox_pauses'))
    )
    op.create_table('districts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_districts')),
    sa.UniqueConstraint('name', name=op.f('uq_districts_name'))
    )
    op.create_table('inbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at_id', sa.String(length=100), nullable=False),
    sa.Column('sender', sa.String(length=40), nullable=False),
    sa.Column('to', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('link_id', sa.String(length=100), nullable=True),
    sa.Column('network_code', sa.String(length=10), nullable=True),
    sa.Column('sent_at', sa.String(length=40), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.Enum('received', 'processed', 'failed', name='inboundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('command', sa.String(length=40), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('processed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_sms')),
    sa.UniqueConstraint('at_id', name=op.f('uq_inbound_sms_at_id'))
    )
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_sms_sender'), ['sender'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_sms_status'), ['status'], unique=False)

    op.create_table('reminder_occasions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('occasion', sa.String(length=120), nullable=False),
    sa.Column('planned_at', sa.DateTime(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('queued_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_occasions')),
    sa.UniqueConstraint('rule', 'occasion', name=op.f('uq_reminder_occasions_rule_occasion'))
    )
    with op.batch_alter_table('reminder_occasions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_occasions_queued_at'), ['queued_at'], unique=False)

    op.create_table('trainings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=160), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('venue', sa.String(length=160), nullable=False),
    sa.Column('audience', sa.String(length=160), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainings')),
    sa.UniqueConstraint('topic', 'starts_at', 'venue', name=op.f('uq_trainings_topic_starts_at_venue'))
    )
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainings_starts_at'), ['starts_at'], unique=False)

    op.create_table('ussd_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('service_code', sa.String(length=40), nullable=True),
    sa.Column('network_code', sa.String(length=10), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('last_hop_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('hops', sa.Integer(), nullable=False),
    sa.Column('last_screen', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('cost', sa.String(length=40), nullable=True),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ussd_sessions')),
    sa.UniqueConstraint('session_id', name=op.f('uq_ussd_sessions_session_id'))
    )
    with op.batch_alter_table('ussd_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ussd_sessions_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_ussd_sessions_started_at'), ['started_at'], unique=False)

    op.create_table('sectors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_sectors_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sectors')),
    sa.UniqueConstraint('district_id', 'name', name=op.f('uq_sectors_district_id_name'))
    )
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sectors_district_id'), ['district_id'], unique=False)

    op.create_table('ussd_hops',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_pk', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('input', sa.String(length=200), nullable=False),
    sa.Column('screen', sa.String(length=80), nullable=False),
    sa.Column('ended', sa.Boolean(), nullable=False),
    sa.Column('elapsed_ms', sa.Double(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['session_pk'], ['ussd_sessions.id'], name=op.f('fk_ussd_hops_session_pk_ussd_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ussd_hops'))
    )
    with op.batch_alter_table('ussd_hops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ussd_hops_session_pk'), ['session_pk'], unique=False)

    op.create_table('vtcs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('director_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_vtcs_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vtcs')),
    sa.UniqueConstraint('name', name=op.f('uq_vtcs_name'))
    )
    with op.batch_alter_table('vtcs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vtcs_district_id'), ['district_id'], unique=False)

    op.create_table('cooperatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('value_chain', sa.String(length=80), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.Enum('formed', 'sector_submitted', 'sector_approved', 'district_submitted', 'district_site_visit', 'district_approved', 'rca_submitted', 'certified', 'rejected', name='stage', native_enum=False, length=32), nullable=False),
    sa.Column('stage_date', sa.Date(), nullable=True),
    sa.Column('certificate_no', sa.String(length=60), nullable=True),
    sa.Column('rejection_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_cooperatives_district_id_districts')),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_cooperatives_sector_id_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperatives')),
    sa.UniqueConstraint('name', name=op.f('uq_cooperatives_name'))
    )
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperatives_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperatives_sector_id'), ['sector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cooperatives_stage'), ['stage'], unique=False)

    op.create_table('join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'contacted', 'enrolled', name='joinstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_join_requests_district_id_districts')),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_join_requests_sector_id_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_join_requests'))
    )
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_join_requests_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_join_requests_status'), ['status'], unique=False)

    op.create_table('vslas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sector_id', sa.Integer(), nullable=False),
    sa.Column('meeting_day', sa.Integer(), nullable=True),
    sa.Column('meeting_time', sa.Time(), nullable=True),
    sa.Column('meeting_place', sa.String(length=120), nullable=True),
    sa.Column('share_value', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_vslas_sector_id_sectors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vslas')),
    sa.UniqueConstraint('name', name=op.f('uq_vslas_name'))
    )
    with op.batch_alter_table('vslas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vslas_sector_id'), ['sector_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('language', sa.Enum('rw', 'en', 'fr', name='language', native_enum=False, length=32), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('sector_id', sa.Integer(), nullable=True),
    sa.Column('vsla_id', sa.Integer(), nullable=True),
    sa.Column('cooperative_id', sa.Integer(), nullable=True),
    sa.Column('vtc_id', sa.Integer(), nullable=True),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(), nullable=True),
    sa.Column('pin_hash', sa.String(length=200), nullable=True),
    sa.Column('pin_failures', sa.Integer(), nullable=False),
    sa.Column('pin_locked_until', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_people_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_people_district_id_districts')),
    sa.ForeignKeyConstraint(['sector_id'], ['sectors.id'], name=op.f('fk_people_sector_id_sectors')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_people_vsla_id_vslas')),
    sa.ForeignKeyConstraint(['vtc_id'], ['vtcs.id'], name=op.f('fk_people_vtc_id_vtcs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('phone', name=op.f('uq_people_phone'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_cooperative_id'), ['cooperative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_district_id'), ['district_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_sector_id'), ['sector_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_vsla_id'), ['vsla_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_vtc_id'), ['vtc_id'], unique=False)

    op.create_table('attendance_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['trainer_id'], ['people.id'], name=op.f('fk_attendance_reports_trainer_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_reports')),
    sa.UniqueConstraint('trainer_id', 'day', name=op.f('uq_attendance_reports_trainer_id_day'))
    )
    with op.batch_alter_table('attendance_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_reports_trainer_id'), ['trainer_id'], unique=False)

    op.create_table('broadcasts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(length=400), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'scheduled', 'sending', 'done', 'cancelled', name='broadcaststatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('fanned_out_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['people.id'], name=op.f('fk_broadcasts_created_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_broadcasts'))
    )
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_broadcasts_status'), ['status'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vsla_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('shares', 'social_fund', 'loan', 'repayment', 'fine', name='ledgerkind', native_enum=False, length=32), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_ledger_entries_person_id_people')),
    sa.ForeignKeyConstraint(['vsla_id'], ['vslas.id'], name=op.f('fk_ledger_entries_vsla_id_vslas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries')),
    sa.UniqueConstraint('vsla_id', 'reference', name=op.f('uq_ledger_entries_vsla_id_reference'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_entries_vsla_id'), ['vsla_id'], unique=False)

    # vtcs.director_id -> people.id closes the people <-> vtcs cycle, so it comes after both
    with op.batch_alter_table('vtcs', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_vtcs_director_id_people'), 'people', ['director_id'], ['id']
        )

    op.create_table('person_roles',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'leader', 'trainer', 'field_officer', 'vtc_director', 'staff', name='role', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_roles_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'role', name=op.f('pk_person_roles'))
    )
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_roles_role'), ['role'], unique=False)

    op.create_table('stage_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cooperative_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('formed', 'sector_submitted', 'sector_approved', 'district_submitted', 'district_site_visit', 'district_approved', 'rca_submitted', 'certified', 'rejected', name='stage', native_enum=False, length=32), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cooperative_id'], ['cooperatives.id'], name=op.f('fk_stage_changes_cooperative_id_cooperatives')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['people.id'], name=op.f('fk_stage_changes_recorded_by_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_changes'))
    )
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_changes_cooperative_id'), ['cooperative_id'], unique=False)

    op.create_table('trainees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('trade', sa.String(length=80), nullable=False),
    sa.Column('vtc_id', sa.Integer(), nullable=False),
    sa.Column('trainer_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('active', 'at_risk', 'replaced', 'dropped', 'graduated', name='traineestatus', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_trainees_person_id_people')),
    sa.ForeignKeyConstraint(['trainer_id'], ['people.id'], name=op.f('fk_trainees_trainer_id_people')),
    sa.ForeignKeyConstraint(['vtc_id'], ['vtcs.id'], name=op.f('fk_trainees_vtc_id_vtcs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trainees')),
    sa.UniqueConstraint('code', name=op.f('uq_trainees_code'))
    )
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trainees_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_trainer_id'), ['trainer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_trainees_vtc_id'), ['vtc_id'], unique=False)

    op.create_table('absence_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('open', 'replaced', 'justified', name='casestatus', native_enum=False, length=32), nullable=False),
    sa.Column('days', sa.String(length=400), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['closed_by_id'], ['people.id'], name=op.f('fk_absence_cases_closed_by_id_people')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], name=op.f('fk_absence_cases_trainee_id_trainees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absence_cases'))
    )
    with op.batch_alter_table('absence_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absence_cases_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_absence_cases_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('absences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('trainee_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('sms', 'ussd', 'web', 'import', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('inbound_sms_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['inbound_sms_id'], ['inbound_sms.id'], name=op.f('fk_absences_inbound_sms_id_inbound_sms')),
    sa.ForeignKeyConstraint(['reporter_id'], ['people.id'], name=op.f('fk_absences_reporter_id_people')),
    sa.ForeignKeyConstraint(['trainee_id'], ['trainees.id'], name=op.f('fk_absences_trainee_id_trainees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences')),
    sa.UniqueConstraint('trainee_id', 'day', name=op.f('uq_absences_trainee_id_day'))
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absences_trainee_id'), ['trainee_id'], unique=False)

    op.create_table('outbound_sms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.Enum('high', 'bulk', name='priority', native_enum=False, length=32), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sending', 'sent', 'delivered', 'failed', 'review', 'cancelled', name='smsstatus', native_enum=False, length=32), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('broadcast_id', sa.Integer(), nullable=True),
    sa.Column('encoding', sa.String(length=8), nullable=False),
    sa.Column('segments', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('not_before', sa.DateTime(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_by', sa.String(length=100), nullable=True),
    sa.Column('at_message_id', sa.String(length=100), nullable=True),
    sa.Column('at_status_code', sa.Integer(), nullable=True),
    sa.Column('cost', sa.String(length=40), nullable=True),
    sa.Column('failure_reason', sa.String(length=300), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('delivered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['broadcast_id'], ['broadcasts.id'], name=op.f('fk_outbound_sms_broadcast_id_broadcasts')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_outbound_sms_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_sms')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbound_sms_dedupe_key'))
    )
    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_sms_at_message_id'), ['at_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_sms_broadcast_id'), ['broadcast_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_sms_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_sms_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbound_sms_phone'), ['phone'], unique=False)
        batch_op.create_index('ix_outbound_sms_status_not_before', ['status', 'not_before'], unique=False)

    op.create_table('sms_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sms_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sms_id'], ['outbound_sms.id'], name=op.f('fk_sms_events_sms_id_outbound_sms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_events'))
    )
    with op.batch_alter_table('sms_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sms_events_sms_id'), ['sms_id'], unique=False)

    op.create_table('staff_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=60), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('staff', 'admin', name='staffrole', native_enum=False, length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.Enum('rw', 'en', 'fr', name='language', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_staff_accounts_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_accounts')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_accounts_username'))
    )



def downgrade() -> None:
    op.drop_table('staff_accounts')
    op.drop_table('outbox_pauses')
    with op.batch_alter_table('vtcs', schema=None) as batch_op:
        batch_op.drop_constraint('fk_vtcs_director_id_people', type_='foreignkey')

    with op.batch_alter_table('sms_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sms_events_sms_id'))

    op.drop_table('sms_events')
    with op.batch_alter_table('outbound_sms', schema=None) as batch_op:
        batch_op.drop_index('ix_outbound_sms_status_not_before')
        batch_op.drop_index(batch_op.f('ix_outbound_sms_phone'))
        batch_op.drop_index(batch_op.f('ix_outbound_sms_person_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_sms_created_at'))
        batch_op.drop_index(batch_op.f('ix_outbound_sms_broadcast_id'))
        batch_op.drop_index(batch_op.f('ix_outbound_sms_at_message_id'))

    op.drop_table('outbound_sms')
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absences_trainee_id'))

    op.drop_table('absences')
    with op.batch_alter_table('absence_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absence_cases_trainee_id'))
        batch_op.drop_index(batch_op.f('ix_absence_cases_status'))

    op.drop_table('absence_cases')
    with op.batch_alter_table('trainees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainees_vtc_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_trainer_id'))
        batch_op.drop_index(batch_op.f('ix_trainees_status'))
        batch_op.drop_index(batch_op.f('ix_trainees_person_id'))

    op.drop_table('trainees')
    with op.batch_alter_table('stage_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_changes_cooperative_id'))

    op.drop_table('stage_changes')
    with op.batch_alter_table('person_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_roles_role'))

    op.drop_table('person_roles')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_entries_vsla_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_entries_person_id'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_broadcasts_status'))

    op.drop_table('broadcasts')
    with op.batch_alter_table('attendance_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_reports_trainer_id'))

    op.drop_table('attendance_reports')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_vtc_id'))
        batch_op.drop_index(batch_op.f('ix_people_vsla_id'))
        batch_op.drop_index(batch_op.f('ix_people_sector_id'))
        batch_op.drop_index(batch_op.f('ix_people_district_id'))
        batch_op.drop_index(batch_op.f('ix_people_cooperative_id'))

    op.drop_table('people')
    with op.batch_alter_table('vslas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vslas_sector_id'))

    op.drop_table('vslas')
    with op.batch_alter_table('join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_join_requests_status'))
        batch_op.drop_index(batch_op.f('ix_join_requests_phone'))

    op.drop_table('join_requests')
    with op.batch_alter_table('cooperatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperatives_stage'))
        batch_op.drop_index(batch_op.f('ix_cooperatives_sector_id'))
        batch_op.drop_index(batch_op.f('ix_cooperatives_district_id'))

    op.drop_table('cooperatives')
    with op.batch_alter_table('vtcs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vtcs_district_id'))

    op.drop_table('vtcs')
    with op.batch_alter_table('ussd_hops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ussd_hops_session_pk'))

    op.drop_table('ussd_hops')
    with op.batch_alter_table('sectors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sectors_district_id'))

    op.drop_table('sectors')
    with op.batch_alter_table('ussd_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ussd_sessions_started_at'))
        batch_op.drop_index(batch_op.f('ix_ussd_sessions_phone'))

    op.drop_table('ussd_sessions')
    with op.batch_alter_table('trainings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trainings_starts_at'))

    op.drop_table('trainings')
    with op.batch_alter_table('reminder_occasions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_occasions_queued_at'))

    op.drop_table('reminder_occasions')
    with op.batch_alter_table('inbound_sms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_sms_status'))
        batch_op.drop_index(batch_op.f('ix_inbound_sms_sender'))

    op.drop_table('inbound_sms')
    op.drop_table('districts')
    with op.batch_alter_table('delivery_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_reports_at_message_id'))

    op.drop_table('delivery_reports')
