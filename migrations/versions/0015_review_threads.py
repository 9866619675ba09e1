"""per-question review threads: a reviewer's comments when returning, the trust's replies

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 20:30:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=30), nullable=False),
    sa.Column('author_role', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("author_role IN ('reviewer', 'trust')",
                       name=op.f('ck_review_comment_author_role_known')),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_review_comment_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'],
                            name=op.f('fk_review_comment_author_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comment'))
    )
    with op.batch_alter_table('review_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_assessment_id'), ['assessment_id'],
                              unique=False)


def downgrade():
    op.drop_table('review_comment')
