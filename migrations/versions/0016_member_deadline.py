"""a member's own closing date: a coordinator extends one assessment's deadline

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:45:00

Nullable: every existing assessment keeps its cycle's closing date.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('extended_until')
