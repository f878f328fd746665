"""Reference data corrections of 30 November 2026 for databases loaded before them.

Reviewed by hand. `flask reference load` only adds what is missing, so rows loaded from the
earlier data files keep their old values; this brings them up to date. Each correction applies
only where the row still holds exactly the value the earlier files shipped, so anything an
administrator has edited since is left alone. On a new database (reference data not loaded yet)
there is nothing to correct and `reference load` then reads the corrected files.

- Nauru is named "Nauru" (the taxonomy file gave the endonym "Naoero").
- Kiribati and the State of Palestine are full members of the Asia-Pacific Group.
- Guinea: AU suspension lifted (January 2026); restored in ECOWAS (January 2026).
- Eritrea: withdrew from IGAD (December 2025).
- CARICOM: six associate members (Curaçao since 2024), in the organisation's note.
- Every membership the files shipped, and every body, re-checked as of 30 November 2026.
- Three lesson themes the 2015 report adds.

Revision ID: b59e4c0d8a21
Revises: 7d3e2a91c4f0
Create Date: 2026-11-30 00:30:00

"""
from datetime import date

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b59e4c0d8a21'
down_revision = '7d3e2a91c4f0'
branch_labels = None
depends_on = None

SHIPPED_AS_OF = date(2025, 11, 30)
CHECKED_ON = date(2026, 11, 30)
UN_GROUPS_SOURCE = (
    "UN Department for General Assembly and Conference Management, list of United Nations Regional "
    "Groups of Member States; curated for this platform"
)
# slug: the source each membership of the body was shipped with, and the new one if it changed.
BODY_SOURCES = {
    'african': (UN_GROUPS_SOURCE, None),
    'asia-pacific': (UN_GROUPS_SOURCE, None),
    'eastern-european': (UN_GROUPS_SOURCE, None),
    'latin-american-caribbean': (UN_GROUPS_SOURCE, None),
    'western-european-others': (UN_GROUPS_SOURCE, None),
    'au': ("African Union Commission; Peace and Security Council communiqués on suspensions", None),
    'ecowas': ("ECOWAS Commission communiqués", None),
    'eccas': ("ECCAS Commission", None),
    'sadc': ("SADC Secretariat", None),
    'igad': ("IGAD Secretariat", "IGAD Secretariat; Eritrea's notice of withdrawal (December 2025)"),
    'icglr': ("ICGLR Executive Secretariat", None),
    'las': ("League of Arab States General Secretariat", None),
    'eu': ("European Union, member countries", None),
    'osce': ("OSCE Secretariat, participating States", None),
    'asean': ("ASEAN Secretariat; 47th ASEAN Summit (October 2025) on the admission of Timor-Leste", None),
    'oas': ("OAS Secretariat for Legal Affairs, member states", None),
    'sica': ("SICA General Secretariat", None),
    'caricom': ("CARICOM Secretariat", None),
}
# slug: (note as shipped, corrected note)
BODY_NOTES = {
    'asia-pacific': (
        "Kiribati belongs to no regional group. Türkiye takes part in this group's meetings but counts "
        "as a member of the Western European and Others Group for elections.",
        "Kiribati joined the group in 2010. Türkiye takes part in this group's meetings but counts as "
        "a member of the Western European and Others Group for elections.",
    ),
    'au': (
        "The Sahrawi Arab Democratic Republic is also a member; it is not a UN Member or observer State "
        "and is not listed. Gabon's suspension was lifted in April 2025.",
        "The Sahrawi Arab Democratic Republic is also a member; it is not a UN Member or observer State "
        "and is not listed. Gabon's suspension was lifted in April 2025 and Guinea's in January 2026.",
    ),
    'ecowas': (
        "Burkina Faso, Mali and Niger left ECOWAS with effect from 29 January 2025 and formed the "
        "Alliance of Sahel States.",
        "Burkina Faso, Mali and Niger left ECOWAS with effect from 29 January 2025 and formed the "
        "Alliance of Sahel States. Guinea was restored in January 2026.",
    ),
    'igad': (None, "Eritrea withdrew from IGAD in December 2025 and is no longer listed."),
    'caricom': (
        "Montserrat is also a full member, and five territories are associate members; none is a UN "
        "Member or observer State, so they are not listed.",
        "Montserrat is also a full member. Six territories are associate members: Anguilla, Bermuda, "
        "the British Virgin Islands, the Cayman Islands, Curaçao (since 2024) and the Turks and Caicos "
        "Islands. None of them is a UN Member or observer State, so they are not listed.",
    ),
}
# (body, country): (status and note as shipped, corrected status, note and source)
MEMBERSHIP_FIXES = {
    ('au', 'GIN'): (
        ('suspended', "Suspended since September 2021."),
        ('member', "Suspended from September 2021; the suspension was lifted in January 2026.",
         "AU Peace and Security Council communiqué lifting Guinea's suspension (January 2026)"),
    ),
    ('ecowas', 'GIN'): (
        ('suspended', "Suspended from decision-making bodies since September 2021."),
        ('member', "Suspended from the decision-making bodies from September 2021; restored in January 2026.",
         "ECOWAS Authority of Heads of State and Government, decision restoring Guinea (January 2026)"),
    ),
}
# Memberships that ended: removed if still exactly as shipped.
ENDED = (('igad', 'ERI'),)
ADDED = (
    ('asia-pacific', 'KIR', "Joined the group in 2010."),
    ('asia-pacific', 'PSE', "A full member of the group; an observer State at the United Nations."),
)
NAURU = {
    'name_en': ('Naoero', 'Nauru'),
    'name_fr': ('Naoero', 'Nauru'),
    'name_es': ('Naoero', 'Nauru'),
    'name_ru': ('Наоэро', 'Науру'),
    'name_ar': ('ناويرو', 'ناورو'),
}
THEMES = (
    ('non-state-armed-groups', "Non-State armed groups and violent extremism"),
    ('online-incitement-technology', "Incitement and hate speech online, and new technologies"),
    ('community-self-protection', "Community self-protection"),
)

country = sa.table('country', sa.column('iso3'), *(sa.column(c) for c in NAURU))
body = sa.table('regional_body', sa.column('slug'), sa.column('source'), sa.column('as_of'), sa.column('note'))
membership = sa.table(
    'membership',
    sa.column('id'),
    sa.column('body_slug'),
    sa.column('country_iso3'),
    sa.column('status'),
    sa.column('as_of', sa.Date()),
    sa.column('source'),
    sa.column('note'),
)
theme = sa.table(
    'lesson_theme', sa.column('slug'), sa.column('name'), sa.column('position'), sa.column('active')
)


def _same(column, value):
    return column.is_(None) if value is None else column == value


def apply_corrections(connection) -> None:
    """Bring rows loaded from the earlier files up to date; leave edited rows alone."""
    for column, (old, new) in NAURU.items():
        connection.execute(
            country.update()
            .where(country.c.iso3 == 'NRU', country.c[column] == old)
            .values({column: new})
        )

    for (slug, iso3), ((old_status, old_note), (status, note, source)) in MEMBERSHIP_FIXES.items():
        connection.execute(
            membership.update()
            .where(
                membership.c.body_slug == slug,
                membership.c.country_iso3 == iso3,
                membership.c.status == old_status,
                _same(membership.c.note, old_note),
                membership.c.as_of == SHIPPED_AS_OF,
                membership.c.source == BODY_SOURCES[slug][0],
            )
            .values(status=status, note=note, source=source, as_of=CHECKED_ON)
        )
    for slug, iso3 in ENDED:
        connection.execute(
            membership.delete().where(
                membership.c.body_slug == slug,
                membership.c.country_iso3 == iso3,
                membership.c.status == 'member',
                membership.c.note.is_(None),
                membership.c.as_of == SHIPPED_AS_OF,
                membership.c.source == BODY_SOURCES[slug][0],
            )
        )
    for slug, (old_source, new_source) in BODY_SOURCES.items():
        connection.execute(
            membership.update()
            .where(
                membership.c.body_slug == slug,
                membership.c.as_of == SHIPPED_AS_OF,
                membership.c.source == old_source,
            )
            .values(as_of=CHECKED_ON, source=new_source or old_source)
        )
        connection.execute(
            body.update()
            .where(body.c.slug == slug, body.c.as_of == SHIPPED_AS_OF, body.c.source == old_source)
            .values(as_of=CHECKED_ON, source=new_source or old_source)
        )
    for slug, (old_note, new_note) in BODY_NOTES.items():
        connection.execute(
            body.update().where(body.c.slug == slug, _same(body.c.note, old_note)).values(note=new_note)
        )

    known_bodies = set(connection.scalars(sa.select(body.c.slug)))
    known_countries = set(connection.scalars(sa.select(country.c.iso3)))
    for slug, iso3, note in ADDED:
        if slug not in known_bodies or iso3 not in known_countries:
            continue
        exists = connection.scalar(
            sa.select(membership.c.id).where(membership.c.body_slug == slug, membership.c.country_iso3 == iso3)
        )
        if exists is None:
            connection.execute(
                membership.insert().values(
                    body_slug=slug,
                    country_iso3=iso3,
                    status='member',
                    as_of=CHECKED_ON,
                    source=BODY_SOURCES[slug][0],
                    note=note,
                )
            )

    known_themes = set(connection.scalars(sa.select(theme.c.slug)))
    if known_themes:  # on a new database, `reference load` adds the whole catalogue
        position = connection.scalar(sa.select(sa.func.max(theme.c.position))) or 0
        for slug, name in THEMES:
            if slug not in known_themes:
                position += 1
                connection.execute(theme.insert().values(slug=slug, name=name, position=position, active=True))


def upgrade():
    apply_corrections(op.get_bind())


def downgrade():
    # Corrections of fact are not undone: the earlier values were wrong.
    pass
