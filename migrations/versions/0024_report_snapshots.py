"""report snapshots: each submitted and validated assessment's member PDFs, kept (issue #21 goal 5)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 02:15:00

A new table only: nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    sa.Column('event_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rendered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('member_pdf', sa.LargeBinary(), nullable=False),
    sa.Column('alliance_pdf', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_report_snapshot_assessment_id_assessment'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_snapshot')),
    sa.UniqueConstraint('assessment_id', 'event', 'event_at',
                        name=op.f('uq_report_snapshot_assessment_id_event_event_at'))
    )
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_snapshot_assessment_id'), ['assessment_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('report_snapshot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_snapshot_assessment_id'))
    op.drop_table('report_snapshot')
