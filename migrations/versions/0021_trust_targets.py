"""a trust's own targets per standard (issue #19)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 23:30:00

Chained to 0018 on this branch; 0019 and 0020 land in main at the same time and the merge
re-chains this one after them. A new table only: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('trust_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=False),
    sa.Column('standard_code', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Float(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('level >= 1 AND level <= 5', name=op.f('ck_trust_target_level_on_scale')),
    sa.ForeignKeyConstraint(['membership_id'], ['membership.id'],
                            name=op.f('fk_trust_target_membership_id_membership'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_trust_target_updated_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_trust_target')),
    sa.UniqueConstraint('membership_id', 'standard_code',
                        name=op.f('uq_trust_target_membership_id_standard_code'))
    )
    with op.batch_alter_table('trust_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_trust_target_membership_id'), ['membership_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('trust_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_trust_target_membership_id'))
    op.drop_table('trust_target')
