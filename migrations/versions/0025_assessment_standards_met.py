"""each assessment's count of standards met, stored with its index and status (issue #21 goal 2)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 21:00:00

One nullable column, filled from the stored standard scores: the number of standards met, for
every assessment with a stored result (NULL where there is none), as the scoring code writes it
from now on.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

assessment = sa.table('assessment', sa.column('id', sa.Integer),
                      sa.column('standards_met', sa.Integer))
score = sa.table('assessment_score', sa.column('assessment_id', sa.Integer),
                 sa.column('scope', sa.String), sa.column('met', sa.Boolean))


def upgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standards_met', sa.Integer(), nullable=True))
    of_this = score.c.assessment_id == assessment.c.id
    met = (
        sa.select(sa.func.count())
        .where(of_this, score.c.scope == 'standard', score.c.met.is_(True))
        .scalar_subquery()
    )
    op.execute(
        assessment.update()
        .where(sa.exists(sa.select(score.c.assessment_id).where(of_this)))
        .values(standards_met=met)
    )


def downgrade():
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_column('standards_met')
