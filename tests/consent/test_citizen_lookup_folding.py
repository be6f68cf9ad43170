"""Adding a citizen behind an entrance finds a name typed as the register's search folds it."""

from portal.consent.citizen_lookup import find_citizens
from tests.factories import make_citizen, make_district


def test_a_name_typed_without_nordic_letters_is_found(db):
    district = make_district(db)
    make_citizen(db, name="Bent Sørensen", address="Søvej 1", district=district)
    make_citizen(db, name="Ole Bak", address="Sorensensvej 2", district=district)  # address only
    db.commit()
    for typed in ("Sorensen", "Sörensen", "SØRENSEN"):
        found = find_citizens(db, typed, district.id)
        assert [c.name for c in found.citizens] == ["Bent Sørensen"], typed


def test_a_name_typed_with_other_spellings_of_its_letters_is_found(db):
    district = make_district(db)
    make_citizen(db, name="Märta Müller", address="Vej 1", district=district)
    make_citizen(db, name="Hans Mueller", address="Vej 2", district=district)
    make_citizen(db, name="Ole Bak", address="Martavej 3", district=district)  # address only
    db.commit()
    for typed in ("Marta", "Maerta", "Märta Muller", "Mærta Mueller"):
        found = find_citizens(db, typed, district.id)
        assert [c.name for c in found.citizens] == ["Märta Müller"], typed
    for typed in ("Müller", "Mueller", "Muller"):
        found = find_citizens(db, typed, district.id)
        assert [c.name for c in found.citizens] == ["Hans Mueller", "Märta Müller"], typed
