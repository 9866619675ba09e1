"""several respondents per assessment (issue #18 point 6)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('respondents_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=False),
    sa.Column('switched_on_by_id', sa.Integer(), nullable=True),
    sa.Column('switched_on_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_respondents_setting_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_id'], ['user_account.id'],
                            name=op.f('fk_respondents_setting_lead_id_user_account'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['switched_on_by_id'], ['user_account.id'],
                            name=op.f('fk_respondents_setting_switched_on_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_respondents_setting')),
    sa.UniqueConstraint('assessment_id', name=op.f('uq_respondents_setting_assessment_id'))
    )
    op.create_table('respondent_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_respondent_answer_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['snapshot_question.id'],
                            name=op.f('fk_respondent_answer_question_id_snapshot_question'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                            name=op.f('fk_respondent_answer_user_id_user_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_respondent_answer')),
    sa.UniqueConstraint('assessment_id', 'question_id', 'user_id',
                        name=op.f('uq_respondent_answer_assessment_id_question_id_user_id'))
    )
    with op.batch_alter_table('respondent_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_respondent_answer_assessment_id'), ['assessment_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_respondent_answer_question_id'), ['question_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_respondent_answer_user_id'), ['user_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('respondent_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_respondent_answer_user_id'))
        batch_op.drop_index(batch_op.f('ix_respondent_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_respondent_answer_assessment_id'))
    op.drop_table('respondent_answer')
    op.drop_table('respondents_setting')
