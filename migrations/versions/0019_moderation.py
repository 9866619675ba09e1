"""moderation: an alliance's panel agrees or adjusts each standard's level before validation

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 23:30:00

Every existing alliance starts without moderation and every stored score unmoderated.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('alliance', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderation', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('assessment_score', schema=None) as batch_op:
        batch_op.add_column(sa.Column('moderated', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('self_assessed', sa.Float(), nullable=True))
    op.create_table('moderation_panelist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('trust_id', sa.Integer(), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('nominated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_moderation_panelist_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_moderation_panelist_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['trust_id'], ['trust.id'],
                            name=op.f('fk_moderation_panelist_trust_id_trust'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['user_account.id'],
                            name=op.f('fk_moderation_panelist_nominated_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_panelist')),
    sa.UniqueConstraint('assessment_id', 'user_id',
                        name=op.f('uq_moderation_panelist_assessment_id_user_id'))
    )
    with op.batch_alter_table('moderation_panelist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_panelist_assessment_id'),
                              ['assessment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_moderation_panelist_user_id'), ['user_id'],
                              unique=False)
    op.create_table('moderated_level',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('standard_code', sa.String(length=20), nullable=False),
    sa.Column('self_assessed', sa.Float(), nullable=True),
    sa.Column('level', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('level >= 1 AND level <= 5',
                       name=op.f('ck_moderated_level_level_on_scale')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_moderated_level_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                            name=op.f('fk_moderated_level_decided_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderated_level')),
    sa.UniqueConstraint('assessment_id', 'standard_code',
                        name=op.f('uq_moderated_level_assessment_id_standard_code'))
    )
    with op.batch_alter_table('moderated_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderated_level_assessment_id'), ['assessment_id'],
                              unique=False)


def downgrade():
    op.drop_table('moderated_level')
    op.drop_table('moderation_panelist')
    with op.batch_alter_table('assessment_score', schema=None) as batch_op:
        batch_op.drop_column('self_assessed')
        batch_op.drop_column('moderated')
    with op.batch_alter_table('alliance', schema=None) as batch_op:
        batch_op.drop_column('moderation')
