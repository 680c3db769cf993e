"""A new password, on the person's own page or set by an administrator, passes AUTH_PASSWORD_VALIDATORS."""

import pytest
from django.urls import reverse

from ..factories import UserFactory

OLD = "correct horse battery"


def _change(client, new):
    return client.post(reverse("password_change"), {"old_password": OLD, "new_password1": new, "new_password2": new})


@pytest.mark.parametrize("weak, why", [
    ("Zq8!short", "too short"),
    ("password1234", "too common"),
    ("4815162342108", "entirely numeric"),
    ("officer_a-2026", "too similar"),
])
def test_a_weak_new_password_is_refused(login, officer_a, weak, why):
    response = _change(login(officer_a), weak)
    assert response.status_code == 200 and why in response.content.decode()
    officer_a.refresh_from_db()
    assert officer_a.check_password(OLD)


def test_a_strong_new_password_is_taken_and_the_session_stays(login, officer_a):
    client = login(officer_a)
    response = _change(client, "lantern orchard 7 quietly")
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    officer_a.refresh_from_db()
    assert officer_a.check_password("lantern orchard 7 quietly")
    assert client.get(reverse("home")).status_code == 200


def test_an_administrator_setting_a_password_meets_the_same_rules(login, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    person = UserFactory(username="amina")
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = login(admin).post(url, {"password1": "short", "password2": "short", "usable_password": "true"})
    assert response.status_code == 200 and "too short" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(OLD)
