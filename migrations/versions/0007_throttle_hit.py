"""count failed sign-ins and reset emails in the database, shared by every app process

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 14:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('throttle_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('at', sa.Double(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hit'))
    )
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.create_index('ix_throttle_hit_key_at', ['key', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_throttle_hit_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('throttle_hit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_hit_at'))
        batch_op.drop_index('ix_throttle_hit_key_at')

    op.drop_table('throttle_hit')
