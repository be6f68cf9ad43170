"""portal.web.dates: the date fields' one message and one way to read a date."""

from datetime import date

import pytest

from portal.web.dates import to_date


@pytest.mark.parametrize(
    "text", ["2027-01-31", "31.01.2027", "31-01-2027", "31/01/2027", "31.1.2027", " 2027-01-31 "]
)
def test_the_picker_s_date_and_the_ways_people_write_one_are_read(text):
    assert to_date(text) == date(2027, 1, 31)


@pytest.mark.parametrize(
    "text", ["", None, "31.02.2027", "2027-13-01", "tomorrow", "٣١.٠١.٢٠٢٧", "2027-01-31" + "0" * 5]
)
def test_anything_else_is_no_date(text):
    assert to_date(text) is None
