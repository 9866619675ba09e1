"""section owners: who at a trust looks after each section of its self-assessment

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 20:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('section_owner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_section_owner_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_section_owner_user_id_user_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'],
                            name=op.f('fk_section_owner_assigned_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_section_owner')),
    sa.UniqueConstraint('assessment_id', 'section',
                        name=op.f('uq_section_owner_assessment_id_section'))
    )
    with op.batch_alter_table('section_owner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_section_owner_assessment_id'), ['assessment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('section_owner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_section_owner_assessment_id'))
    op.drop_table('section_owner')
