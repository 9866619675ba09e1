"""framework snapshots keep their scoring rule; standards the standards they continue; questions
who answers them (a member, or the alliance once per cycle)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:00:00

Existing snapshots are framework 1.0, scored by the averaged rule, so the column's server default
fills them in; new snapshots store the rule their framework.yaml declares.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring', sa.String(length=20), nullable=False,
                                      server_default='averaged'))
    with op.batch_alter_table('snapshot_standard', schema=None) as batch_op:
        batch_op.add_column(sa.Column('continues', sa.JSON(), nullable=True))
    with op.batch_alter_table('snapshot_question', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_by', sa.String(length=10), nullable=False,
                                      server_default='member'))


def downgrade():
    with op.batch_alter_table('snapshot_question', schema=None) as batch_op:
        batch_op.drop_column('answered_by')
    with op.batch_alter_table('snapshot_standard', schema=None) as batch_op:
        batch_op.drop_column('continues')
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.drop_column('scoring')
