"""pin resets: one-time codes for forgotten PINs, first PINs and phone changes; ID digits hashed

Revision ID: 0007_pin_resets
Revises: 0006_shared_phones
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0007_pin_resets"
down_revision: str | None = "0006_shared_phones"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(sa.Column("id_last4_hash", sa.String(length=200), nullable=True))

    op.create_table(
        "pin_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("purpose", _enum("resetpurpose", "reset", "first_pin", "phone"), nullable=False),
        sa.Column(
            "status",
            _enum("resetstatus", "waiting", "sent", "used", "expired", "locked", "refused"),
            nullable=False,
        ),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("asked_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "confirmed_how",
            _enum(
                "confirmedhow",
                "self",
                "field_officer",
                "staff_id",
                "staff",
                "pin",
                "secretary",
                "id",
            ),
            nullable=True,
        ),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("new_phone", sa.String(length=20), nullable=True),
        sa.Column("code_hash", sa.String(length=200), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pin_resets_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_id"], ["people.id"], name=op.f("fk_pin_resets_asked_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["asked_by_staff_id"],
            ["staff_accounts.id"],
            name=op.f("fk_pin_resets_asked_by_staff_id_staff_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["people.id"], name=op.f("fk_pin_resets_confirmed_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pin_resets")),
    )
    with op.batch_alter_table("pin_resets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pin_resets_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pin_resets_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_pin_resets_new_phone"), ["new_phone"], unique=False)


def downgrade() -> None:
    op.drop_table("pin_resets")
    # A plain DROP COLUMN (SQLite 3.35+ and PostgreSQL): a batch copy of `people` would have to
    # drop a table every other one refers to.
    op.execute("ALTER TABLE people DROP COLUMN id_last4_hash")
