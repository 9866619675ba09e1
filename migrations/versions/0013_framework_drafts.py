"""an alliance's own framework versions: drafts written in the app, and the files of versions
published from the app or uploaded

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 20:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_files', sa.JSON(), nullable=True))

    op.create_table('framework_draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('base_snapshot_id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.String(length=60), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('standards', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'],
                            name=op.f('fk_framework_draft_alliance_id_alliance'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['base_snapshot_id'], ['framework_snapshot.id'],
                            name=op.f('fk_framework_draft_base_snapshot_id_framework_snapshot'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_framework_draft_updated_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_framework_draft')),
    sa.UniqueConstraint('alliance_id', name=op.f('uq_framework_draft_alliance_id'))
    )


def downgrade():
    op.drop_table('framework_draft')
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.drop_column('source_files')
