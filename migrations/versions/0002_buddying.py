"""buddying: notes history, closed_at, one open pair per mentor and mentee

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 10:00:00

The single ``buddy_pair.notes`` text becomes a history of dated notes (``buddy_pair_note``);
existing notes are carried over as each pair's first note (author: whoever created the pair).
Finished pairs get ``closed_at`` (their creation time, for pairs finished before this
migration). On SQLite the ``buddy_pair`` table is rebuilt (batch mode); notes are read before
and written after the rebuild, because dropping the old table would cascade to rows that
referenced it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

OPEN = "status IN ('proposed', 'active')"


def upgrade():
    bind = op.get_bind()
    old_notes = bind.execute(sa.text(
        "SELECT id, notes, created_by_id, created_at FROM buddy_pair "
        "WHERE notes IS NOT NULL AND notes <> ''"
    )).all()

    with op.batch_alter_table('buddy_pair', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column('notes')
    bind.execute(sa.text(
        "UPDATE buddy_pair SET closed_at = created_at WHERE status IN ('completed', 'ended')"
    ))
    with op.batch_alter_table('buddy_pair', schema=None) as batch_op:
        batch_op.create_check_constraint(
            'closed_when_finished',
            f"({OPEN} AND closed_at IS NULL)"
            " OR (status IN ('completed', 'ended') AND closed_at IS NOT NULL)",
        )
    op.create_index(
        'uq_buddy_pair_open_couple', 'buddy_pair',
        ['mentor_membership_id', 'mentee_membership_id'], unique=True,
        sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN),
    )

    op.create_table('buddy_pair_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(body) > 0', name=op.f('ck_buddy_pair_note_body_not_empty')),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_buddy_pair_note_author_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['buddy_pair.id'], name=op.f('fk_buddy_pair_note_pair_id_buddy_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_buddy_pair_note'))
    )
    with op.batch_alter_table('buddy_pair_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_buddy_pair_note_pair_id'), ['pair_id'], unique=False)
    if old_notes:
        # Plain SQL with the values as read: each driver gets back exactly what it gave.
        bind.execute(sa.text(
            "INSERT INTO buddy_pair_note (pair_id, body, author_id, created_at) "
            "VALUES (:pair_id, :body, :author_id, :created_at)"
        ), [{"pair_id": pair_id, "body": body, "author_id": author, "created_at": created}
            for pair_id, body, author, created in old_notes])


def downgrade():
    bind = op.get_bind()
    # Lossy by necessity: the old schema held one note per pair, so the first one goes back.
    first_notes = bind.execute(sa.text(
        "SELECT n.pair_id, n.body FROM buddy_pair_note n WHERE n.id = "
        "(SELECT MIN(m.id) FROM buddy_pair_note m WHERE m.pair_id = n.pair_id)"
    )).all()
    with op.batch_alter_table('buddy_pair_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_buddy_pair_note_pair_id'))
    op.drop_table('buddy_pair_note')

    op.drop_index('uq_buddy_pair_open_couple', table_name='buddy_pair')
    with op.batch_alter_table('buddy_pair', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_buddy_pair_closed_when_finished'), type_='check')
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch_op.drop_column('closed_at')
    for pair_id, body in first_notes:
        bind.execute(sa.text("UPDATE buddy_pair SET notes = :body WHERE id = :id"),
                     {"body": body, "id": pair_id})
