"""Who a batch of information letters goes to: only citizens who may still book a fitting."""

import pytest

from portal.audit.services import SYSTEM
from portal.citizens import lifecycle
from portal.citizens.lifecycle import CitizenStatus as S
from portal.letters import scope, services
from tests.factories import NOW, make_citizen

MAY_BOOK = (S.REGISTERED, S.LETTER_SENT, S.FOLLOW_UP)
NO_LETTER = tuple(s for s in S if s not in MAY_BOOK)


def _scope(district):
    return scope.Scope(district.id, None, district.name)


def test_the_information_letter_statuses_are_those_that_may_book():
    assert set(scope.INFORMATION_STATUSES) == set(MAY_BOOK)
    assert all(lifecycle.allowed("booked", s) for s in scope.INFORMATION_STATUSES)


@pytest.mark.parametrize("status", MAY_BOOK)
def test_a_citizen_who_may_still_book_gets_a_letter(db, district, status, tmp_path):
    citizen = make_citizen(db, district=district, status=status)
    db.commit()
    chosen = _scope(district)
    assert scope.left_out(db, chosen) == []
    batch = services.create_batch(
        db, chosen, only_new=False, actor=SYSTEM, now=NOW, directory=tmp_path
    )
    assert [letter.citizen_id for letter in batch.letters] == [citizen.id]


@pytest.mark.parametrize("status", NO_LETTER)
def test_a_citizen_who_cannot_book_gets_no_letter_and_is_counted(db, district, status, tmp_path):
    make_citizen(db, district=district, status=status)
    db.commit()
    chosen = _scope(district)
    assert scope.count_by_language(db, chosen) == {}
    assert scope.first_recipient_id(db, chosen) is None
    assert scope.left_out(db, chosen) == [(str(status), 1)]
    with pytest.raises(services.NothingToSend):
        services.create_batch(db, chosen, only_new=False, actor=SYSTEM, now=NOW, directory=tmp_path)


def test_left_out_counts_each_reason_in_lifecycle_order(db, district, tmp_path):
    for status in (S.FITTED, S.BOOKED, S.FITTED, S.REGISTERED, S.CARE_ENDED, S.LETTER_SENT):
        make_citizen(db, district=district, status=status)
    db.commit()
    chosen = _scope(district)
    assert sum(scope.count_by_language(db, chosen).values()) == 2
    assert scope.left_out(db, chosen) == [("booked", 1), ("fitted", 2), ("care_ended", 1)]


def test_only_new_also_counts_those_with_a_letter(db, district, tmp_path):
    sent, waiting = (make_citizen(db, district=district) for _ in range(2))
    make_citizen(db, district=district, status=S.BOOKED)
    db.commit()
    services.record_single_posted(db, sent.id, actor=SYSTEM, now=NOW)
    db.commit()
    chosen = _scope(district)
    assert scope.left_out(db, chosen, only_new=True) == [("has_letter", 1), ("booked", 1)]
    # Without "only new", a lost letter is sent again to a citizen who may still book.
    assert scope.left_out(db, chosen) == [("booked", 1)]
    batch = services.create_batch(
        db, chosen, only_new=False, actor=SYSTEM, now=NOW, directory=tmp_path
    )
    assert {letter.citizen_id for letter in batch.letters} == {sent.id, waiting.id}
