"""the alliance profile: a cycle's alliance-level facts, answered once by the coordinator

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:00:00

A new table only; nothing existing changes. One row per (cycle, fact question).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alliance_fact_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('carried_over', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['cycle.id'], name=op.f('fk_alliance_fact_answer_cycle_id_cycle'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['snapshot_question.id'], name=op.f('fk_alliance_fact_answer_question_id_snapshot_question'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_alliance_fact_answer_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_fact_answer')),
    sa.UniqueConstraint('cycle_id', 'question_id', name=op.f('uq_alliance_fact_answer_cycle_id_question_id'))
    )
    with op.batch_alter_table('alliance_fact_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alliance_fact_answer_question_id'), ['question_id'], unique=False)


def downgrade():
    with op.batch_alter_table('alliance_fact_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alliance_fact_answer_question_id'))

    op.drop_table('alliance_fact_answer')
