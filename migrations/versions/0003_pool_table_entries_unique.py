"""Draft entries on the shared pool of tables: one per pool table per slot

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'uq_timetable_entries_pool_table_slot',
        'timetable_entries',
        ['version_id', 'table_number', 'slot_id'],
        unique=True,
        sqlite_where=sa.text('booth_id IS NULL'),
        postgresql_where=sa.text('booth_id IS NULL'),
    )


def downgrade():
    op.drop_index('uq_timetable_entries_pool_table_slot', table_name='timetable_entries')
