"""The lifecycle against its specification (the module docstring), transition by transition."""

from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from portal.citizens import lifecycle
from portal.citizens.lifecycle import CitizenStatus, IllegalTransition

R, L, B, F, U = "registered", "letter_sent", "booked", "fitted", "follow_up"
OUT, SW, M, D, C = "opted_out", "switching_provider", "moving", "door_restored", "care_ended"
EVERY = (R, L, B, F, U, OUT, SW, M, D, C)

# Transcribed from the docstring's table, not from RULES: event -> {from: to} (to == from: stays).
SPEC = {
    "letter_sent": {R: L} | {s: s for s in EVERY if s != R},
    "booked": {R: B, L: B, U: B},
    "fitted": {R: F, L: F, B: F, U: F, M: F, F: F},
    "fitting_failed": {R: U, L: U, B: U, U: U},
    "opted_out": {R: OUT, L: OUT, B: OUT, U: OUT, F: OUT, OUT: OUT},
    "switching_provider": {F: SW, SW: SW},
    "provider_switched": {SW: F},
    "moving": {R: M, L: M, B: M, F: M, U: M, SW: M, M: M},
    "moved": {M: R},
    "door_restored": {F: D, OUT: D, M: D, D: D, C: C},
    "care_ended": {s: C for s in EVERY},
    "rejoined": {OUT: R, D: R, C: R},
}
CANCELLED = {
    F: F,
    SW: SW,
    OUT: OUT,
    M: M,
    D: D,
    C: C,
}  # booking_cancelled from a state other than booked

ALLOWED = [(event, start, end) for event, table in SPEC.items() for start, end in table.items()]
DISALLOWED = [
    (event, start) for event, table in SPEC.items() for start in EVERY if start not in table
] + [("booking_cancelled", s) for s in EVERY if s != B and s not in CANCELLED]


def citizen(status):
    """Anything with an id and a status will do: the lifecycle never touches the database."""
    return SimpleNamespace(id=7, status=status)


def test_the_enum_keeps_todays_spelling_and_covers_what_comes_next():
    assert [s.value for s in CitizenStatus] == list(EVERY)
    assert CitizenStatus.FITTED == "fitted" and f"{CitizenStatus.FOLLOW_UP}" == "follow_up"


def test_the_table_is_the_specification():
    assert set(lifecycle.RULES) == set(SPEC) | {"booking_cancelled"}


@pytest.mark.parametrize(("event", "start", "end"), ALLOWED)
def test_allowed_transition(event, start, end):
    person = citizen(start)
    came_from = getattr(lifecycle, event)(person)
    assert person.status == end and came_from == start
    assert lifecycle.allowed(event, start)


@pytest.mark.parametrize(("event", "start"), DISALLOWED)
def test_disallowed_transition_raises_and_changes_nothing(event, start):
    person = citizen(start)
    args = (R,) if event == "booking_cancelled" else ()
    with pytest.raises(IllegalTransition) as refused:
        getattr(lifecycle, event)(person, *args)
    assert person.status == start and not lifecycle.allowed(event, start)
    assert (refused.value.citizen_id, refused.value.from_status) == (7, start)
    assert refused.value.event == event and refused.value.to_status in EVERY


@pytest.mark.parametrize("back_to", [R, L, U])
def test_a_cancelled_booking_goes_back_to_where_it_came_from(back_to):
    person = citizen(back_to)
    came_from = lifecycle.booked(person)
    assert person.status == B and came_from == back_to
    assert lifecycle.booking_cancelled(person, came_from) == B
    assert person.status == back_to


@pytest.mark.parametrize(("start", "end"), CANCELLED.items())
def test_a_booking_cancelled_after_the_citizen_got_further_keeps_their_status(start, end):
    person = citizen(start)
    lifecycle.booking_cancelled(person, L)
    assert person.status == end


@pytest.mark.parametrize("back_to", [B, F, C, "inactive", None])
def test_a_booking_never_goes_back_to_a_state_it_cannot_come_from(back_to):
    person = citizen(B)
    with pytest.raises(IllegalTransition):
        lifecycle.booking_cancelled(person, back_to)
    assert person.status == B


def test_a_second_letter_stays_and_a_letter_never_moves_a_fitted_citizen_back():
    person = citizen(R)
    lifecycle.letter_sent(person)
    lifecycle.letter_sent(person)
    assert person.status == L
    fitted = citizen(F)
    lifecycle.letter_sent(fitted)
    assert fitted.status == F


def test_a_second_booking_is_refused():
    with pytest.raises(IllegalTransition):
        lifecycle.booked(citizen(B))


def test_a_new_citizen_enters_as_registered_once():
    person = citizen(None)
    lifecycle.registered(person)
    assert person.status == R
    with pytest.raises(IllegalTransition):
        lifecycle.registered(person)


def test_the_error_names_the_citizen_and_both_states():
    with pytest.raises(IllegalTransition, match=r"citizen 7: booked fitted -> booked"):
        lifecycle.booked(citizen(F))


def test_the_named_groups_agree_with_the_table():
    assert lifecycle.BOOKABLE == (R, L, U)
    assert set(lifecycle.SELF_BOOKABLE) <= set(lifecycle.BOOKABLE)
    assert not set(lifecycle.OUT_OF_ROLLOUT) & set(lifecycle.BOOKABLE)


@pytest.mark.parametrize("language", ["da", "sv"])
def test_every_status_has_a_translated_label(app, language):
    with app.test_request_context(), force_locale(language):
        labels = [str(lifecycle.label(s)) for s in CitizenStatus]
    with app.test_request_context(), force_locale("en"):
        english = [str(lifecycle.label(s)) for s in CitizenStatus]
    assert len(set(labels)) == len(CitizenStatus)
    assert all(a != b for a, b in zip(labels, english, strict=True))
    assert lifecycle.label("gone") == "gone"
