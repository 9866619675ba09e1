"""each alliance's own targets, core flags and standards switched off, snapshotted per cycle

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 19:55:00

A framework snapshot may now be a variant: the published version as one alliance set it. The
uniqueness of (framework_key, version) becomes (framework_key, version, variant), with "" for
every snapshot already imported, so nothing existing changes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant', sa.String(length=40), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('alliance_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('base_snapshot_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('adjustments', sa.JSON(), nullable=True))
        batch_op.drop_constraint('uq_framework_snapshot_framework_key_version', type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_framework_snapshot_framework_key_version_variant'),
            ['framework_key', 'version', 'variant'])
        batch_op.create_index(batch_op.f('ix_framework_snapshot_alliance_id'), ['alliance_id'],
                              unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_framework_snapshot_alliance_id_alliance'), 'alliance',
            ['alliance_id'], ['id'], ondelete='RESTRICT')
        batch_op.create_foreign_key(
            batch_op.f('fk_framework_snapshot_base_snapshot_id_framework_snapshot'),
            'framework_snapshot', ['base_snapshot_id'], ['id'], ondelete='RESTRICT')

    op.create_table('alliance_standard_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('framework_key', sa.String(length=60), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('standard_code', sa.String(length=20), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('core', sa.Boolean(), nullable=False),
    sa.Column('applies', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('target >= 0', name=op.f('ck_alliance_standard_setting_target_nonnegative')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'],
                            name=op.f('fk_alliance_standard_setting_alliance_id_alliance'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'],
                            name=op.f('fk_alliance_standard_setting_updated_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alliance_standard_setting')),
    sa.UniqueConstraint('alliance_id', 'framework_key', 'version', 'standard_code',
                        name=op.f('uq_alliance_standard_setting_alliance_id_framework_key_version_standard_code'))
    )


def downgrade():
    op.drop_table('alliance_standard_setting')
    with op.batch_alter_table('framework_snapshot', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_framework_snapshot_base_snapshot_id_framework_snapshot'),
            type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_framework_snapshot_alliance_id_alliance'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_framework_snapshot_alliance_id'))
        batch_op.drop_constraint(
            batch_op.f('uq_framework_snapshot_framework_key_version_variant'), type_='unique')
        batch_op.create_unique_constraint('uq_framework_snapshot_framework_key_version',
                                          ['framework_key', 'version'])
        batch_op.drop_column('adjustments')
        batch_op.drop_column('base_snapshot_id')
        batch_op.drop_column('alliance_id')
        batch_op.drop_column('variant')
