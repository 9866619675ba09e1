"""a member's improvement plan: actions per standard (issue #19)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 00:15:00

A new table only: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('improvement_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('standard_code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('not_started', 'in_progress', 'done')",
                       name=op.f('ck_improvement_action_status_known')),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'],
                            name=op.f('fk_improvement_action_cycle_id_cycle'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'],
                            name=op.f('fk_improvement_action_membership_id_membership'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['user_account.id'],
                            name=op.f('fk_improvement_action_owner_id_user_account'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_improvement_action_updated_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_improvement_action'))
    )
    with op.batch_alter_table('improvement_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_improvement_action_membership_id'),
                              ['membership_id'], unique=False)


def downgrade():
    with op.batch_alter_table('improvement_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_improvement_action_membership_id'))
    op.drop_table('improvement_action')
