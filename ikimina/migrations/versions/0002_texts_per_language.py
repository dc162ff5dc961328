"""texts typed as data in each language: training topic and venue, trade, rejection reason

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("trainings", "trainees", "cooperatives")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("texts")
