"""facts about the instance as a whole: whether it holds the demonstration data

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:30:00

`flask demo load` writes the row `demo`; every page, report and export of such an instance then
says "Demonstration data — not real results".
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('instance_setting',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_instance_setting'))
    )


def downgrade():
    op.drop_table('instance_setting')
