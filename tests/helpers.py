"""Sign test clients in without going through rate limits twice."""

from tests.factories import PASSWORD


def sign_in_staff(client, user, password=PASSWORD):
    """POST the staff sign-in form; returns the response."""
    response = client.post("/sign-in/staff", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response


def sign_in_citizen(client, citizen, relative=None):
    """Sign in with the citizen's letter code and date of birth (as a relative if given)."""
    born = citizen.date_of_birth
    data = {"code": citizen.code, "day": born.day, "month": born.month, "year": born.year}
    url = "/sign-in/citizen"
    if relative:
        url = "/sign-in/relative"
        data.update(relative)
    response = client.post(url, data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return response
