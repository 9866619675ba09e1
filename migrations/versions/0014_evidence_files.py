"""evidence files attached to questions, stored content-addressed in the database

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:15:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('evidence_blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_evidence_blob'))
    )
    op.create_table('evidence_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=30), nullable=False),
    sa.Column('blob_sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('carried_from_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assessment_id'], ['assessment.id'],
                            name=op.f('fk_evidence_file_assessment_id_assessment'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['blob_sha256'], ['evidence_blob.sha256'],
                            name=op.f('fk_evidence_file_blob_sha256_evidence_blob'),
                            ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['carried_from_id'], ['evidence_file.id'],
                            name=op.f('fk_evidence_file_carried_from_id_evidence_file'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['user_account.id'],
                            name=op.f('fk_evidence_file_removed_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                            name=op.f('fk_evidence_file_uploaded_by_id_user_account'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file'))
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_assessment_id'), ['assessment_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_file_blob_sha256'), ['blob_sha256'],
                              unique=False)


def downgrade():
    op.drop_table('evidence_file')
    op.drop_table('evidence_blob')
