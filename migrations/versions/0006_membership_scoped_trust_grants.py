"""trust-user grants scoped to one membership (trust, alliance); role invitations; membership requests

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:00:00

A trust user's grant used to name only the trust, so it reached the trust's data in every
alliance the trust belongs to, and a coordinator of one alliance could give it. Each such grant
becomes one grant per membership the trust held when this migration ran (nobody loses access they
had), and the database then ties every trust-user grant to an existing membership.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

OLD_CHECK = (
    "(role = 'site_admin' AND alliance_id IS NULL AND trust_id IS NULL)"
    " OR (role IN ('coordinator', 'buddying_lead')"
    "     AND alliance_id IS NOT NULL AND trust_id IS NULL)"
    " OR (role = 'trust_user' AND trust_id IS NOT NULL AND alliance_id IS NULL)"
)
NEW_CHECK = OLD_CHECK.replace(
    "trust_id IS NOT NULL AND alliance_id IS NULL)", "trust_id IS NOT NULL AND alliance_id IS NOT NULL)")

grant = sa.table('role_grant', sa.column('id', sa.Integer), sa.column('user_id', sa.Integer),
                 sa.column('role', sa.String), sa.column('alliance_id', sa.Integer),
                 sa.column('trust_id', sa.Integer))
membership = sa.table('membership', sa.column('alliance_id', sa.Integer),
                      sa.column('trust_id', sa.Integer))


def upgrade():
    op.create_table('role_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=True),
    sa.Column('trust_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_role_invitation_email_lower_case')),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('accepted', 'declined')", name=op.f('ck_role_invitation_outcome_known')),
    sa.CheckConstraint(NEW_CHECK, name=op.f('ck_role_invitation_scope_matches_role')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_role_invitation_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['alliance_id', 'trust_id'], ['membership.alliance_id', 'membership.trust_id'], name=op.f('fk_role_invitation_alliance_id_membership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_role_invitation_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_role_invitation_invited_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['trust_id'], ['trust.id'], name=op.f('fk_role_invitation_trust_id_trust'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_invitation'))
    )
    with op.batch_alter_table('role_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_invitation_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_invitation_email'), ['email'], unique=False)

    op.create_table('membership_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('trust_type', sa.String(length=60), nullable=False),
    sa.Column('region', sa.String(length=60), nullable=False),
    sa.Column('collaboration_type', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IS NULL OR outcome IN ('approved', 'rejected')", name=op.f('ck_membership_request_outcome_known')),
    sa.CheckConstraint("collaboration_type IN ('hospital_group', 'multi_service', 'single_service')", name=op.f('ck_membership_request_collaboration_type_known')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_membership_request_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_membership_request_answered_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_membership_request_requested_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_request'))
    )
    with op.batch_alter_table('membership_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_request_alliance_id'), ['alliance_id'], unique=False)

    conn = op.get_bind()
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_role_grant_scope_matches_role'), type_='check')
    old = conn.execute(sa.select(grant.c.id, grant.c.user_id, grant.c.trust_id).where(
        grant.c.role == 'trust_user', grant.c.alliance_id.is_(None))).all()
    for grant_id, user_id, trust_id in old:
        alliances = conn.execute(sa.select(membership.c.alliance_id).where(
            membership.c.trust_id == trust_id)).scalars().all()
        for alliance_id in alliances:
            exists = conn.execute(sa.select(grant.c.id).where(
                grant.c.user_id == user_id, grant.c.role == 'trust_user',
                grant.c.trust_id == trust_id, grant.c.alliance_id == alliance_id)).first()
            if exists is None:
                conn.execute(grant.insert().values(user_id=user_id, role='trust_user',
                                                   trust_id=trust_id, alliance_id=alliance_id))
        conn.execute(grant.delete().where(grant.c.id == grant_id))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_check_constraint('scope_matches_role', sa.text(NEW_CHECK))
        batch_op.create_foreign_key(
            batch_op.f('fk_role_grant_alliance_id_membership'), 'membership',
            ['alliance_id', 'trust_id'], ['alliance_id', 'trust_id'], ondelete='CASCADE')


def downgrade():
    conn = op.get_bind()
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('fk_role_grant_alliance_id_membership'), type_='foreignkey')
        batch_op.drop_constraint(op.f('ck_role_grant_scope_matches_role'), type_='check')
    rows = conn.execute(sa.select(grant.c.id, grant.c.user_id, grant.c.trust_id).where(
        grant.c.role == 'trust_user').order_by(grant.c.id)).all()
    kept: set[tuple[int, int]] = set()
    for grant_id, user_id, trust_id in rows:
        if (user_id, trust_id) in kept:
            conn.execute(grant.delete().where(grant.c.id == grant_id))
        else:
            kept.add((user_id, trust_id))
            conn.execute(grant.update().where(grant.c.id == grant_id).values(alliance_id=None))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_check_constraint('scope_matches_role', sa.text(OLD_CHECK))
    op.drop_table('role_invitation')
    op.drop_table('membership_request')
