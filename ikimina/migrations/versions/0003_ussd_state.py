"""hardening: USSD session state in the database while Redis is unreachable

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ussd_state",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ussd_state")),
    )
    op.create_index(op.f("ix_ussd_state_expires_at"), "ussd_state", ["expires_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ussd_state_expires_at"), table_name="ussd_state")
    op.drop_table("ussd_state")
