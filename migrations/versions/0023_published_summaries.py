"""published alliance summaries: a cycle's members' statuses made public (issue #19 point 6)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 00:30:00

Chained to 0021 on this branch; 0022 lands in main at the same time and the merge re-chains
this one after it. A new table only: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('published_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'],
                            name=op.f('fk_published_summary_cycle_id_cycle'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id'],
                            name=op.f('fk_published_summary_published_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_summary')),
    sa.UniqueConstraint('cycle_id', name=op.f('uq_published_summary_cycle_id'))
    )


def downgrade():
    op.drop_table('published_summary')
