"""Two-factor sign-in: offered to everyone, required for EOSG staff and administrators (hruf/otp)."""

import datetime as dt
import logging
import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hruf.models import ApiToken, AuditEvent, Role

from ..conftest import pass_second_factor
from ..factories import UserFactory, grant

PASSWORD = "correct horse battery"
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def _code(key: bytes) -> str:
    return f"{totp(key):06d}"


def _sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def _enrol(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("two_factor_setup")).content.decode()
    secret = re.search(r'<code class="fs-5" id="secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post(reverse("two_factor_setup"), {"code": _code(b32decode(secret))})
    assert response.status_code == 200, response.content.decode()
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    return TOTPDevice.objects.get(), codes


def test_it_enrols_from_a_qr_code_or_the_key_and_confirms_with_a_first_code(client, officer_a):
    client.force_login(officer_a)
    page = client.get(reverse("two_factor_setup")).content.decode()
    # The QR code is an image inside the page (no request leaves the app) and the key is written out too.
    assert re.search(r'<img class="qr-code my-2" src="data:image/svg\+xml[^"]+" alt="[^"]+">', page)
    assert client.post(reverse("two_factor_setup"), {"code": "000000"}).status_code == 400
    assert not TOTPDevice.objects.exists()  # nothing is stored before the first code matches

    device, codes = _enrol(client)
    assert device.user == officer_a and device.confirmed
    assert len(set(codes)) == 10 and StaticToken.objects.filter(device__user=officer_a).count() == 10
    assert client.get(reverse("home")).status_code == 200  # the session that enrolled is verified
    assert AuditEvent.objects.filter(actor=officer_a, action="update", changes={"two_factor": [False, True]}).exists()


def test_it_asks_for_a_code_after_the_password_once_a_device_exists(client, officer_a):
    device = _device(officer_a)
    _sign_in(client, officer_a)
    response = client.get(reverse("scans:alert_list"))
    assert response.status_code == 302
    assert response.url == reverse("two_factor_verify") + "?next=%2Falerts%2F"
    answer = client.post(response.url, {"code": _code(device.bin_key), "next": "/alerts/"})
    assert answer.status_code == 302 and answer.url == "/alerts/"
    assert client.get(reverse("scans:alert_list")).status_code == 200
    step = AuditEvent.objects.filter(actor=officer_a, action="sign_in").values_list("detail__step", flat=True)
    assert sorted(step) == ["password", "second_factor"]


def test_a_wrong_code_is_refused_recorded_and_throttled(client, officer_a, time_machine, caplog):
    device = _device(officer_a)
    _sign_in(client, officer_a)
    verify = reverse("two_factor_verify")
    with caplog.at_level(logging.INFO, logger="hruf.security"):
        wrong = client.post(verify, {"code": f"{(int(_code(device.bin_key)) + 1) % 10**6:06d}"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    assert "otp_failed user=officer_a" in caplog.text
    failed = AuditEvent.objects.get(action="sign_in_failed")
    assert failed.actor == officer_a and failed.detail["step"] == "second_factor"

    # Right away even the right code is refused: django-otp makes the next try wait (1 s, then 2, 4...).
    throttled = client.post(verify, {"code": _code(device.bin_key)})
    assert throttled.status_code == 400 and "Too many wrong codes" in throttled.content.decode()
    assert AuditEvent.objects.filter(action="sign_in_failed", detail__throttled=True).count() == 1
    assert client.get(reverse("home")).status_code == 302

    time_machine.shift(dt.timedelta(seconds=2))
    assert client.post(verify, {"code": _code(device.bin_key)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_good_once(client, officer_a):
    device = _device(officer_a)
    code = _code(device.bin_key)
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 400


def test_a_backup_code_signs_in_once(client, officer_a):
    client.force_login(officer_a)
    _device_, codes = _enrol(client)
    client.post(reverse("logout"))
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0].upper()}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 400


@pytest.mark.parametrize("persona", ["eosg", "admin"])
def test_eosg_and_administrators_without_a_device_must_enrol_before_anything_else(request, db, client, persona):
    user = (
        request.getfixturevalue("eosg") if persona == "eosg"
        else UserFactory(username="admin", is_staff=True, is_superuser=True)
    )
    _sign_in(client, user)
    setup = reverse("two_factor_setup")
    for url in ["/", reverse("followup:dashboard"), reverse("inbox"), reverse("two_factor"), "/admin/", "/api/v1/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(setup + "?next="), url
    assert client.get(setup).status_code == 200
    # Nor can a password alone mint an API token, which would skip the second step for good.
    assert client.post(reverse("api-token")).status_code == 302 and not ApiToken.objects.exists()
    assert client.post(reverse("logout")).status_code == 302  # signing out stays possible

    _sign_in(client, user)
    _enrol(client)
    assert client.get("/").status_code == 200
    if persona == "admin":
        assert client.get("/admin/").status_code == 200


def test_eosg_with_a_device_types_a_code_and_cannot_add_another_first(client, eosg):
    device = _device(eosg)
    _sign_in(client, eosg)
    assert client.get(reverse("followup:dashboard")).url.startswith(reverse("two_factor_verify"))
    # A stolen password must not be enough to enrol the thief's phone.
    assert client.get(reverse("two_factor_setup")).url == reverse("two_factor_verify")
    client.post(reverse("two_factor_verify"), {"code": _code(device.bin_key)})
    assert client.get(reverse("followup:dashboard")).status_code == 200


def test_an_officer_is_offered_it_but_not_forced(client, officer_a):
    _sign_in(client, officer_a)
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("two_factor")).content.decode()
    assert "Two-factor sign-in is off." in page and reverse("two_factor_setup") in page


def test_the_admin_site_itself_refuses_an_unverified_staff_session(client, officer_a):
    # Made staff after signing in: the session's state says nothing is owed until the next re-check,
    # and the admin (django-otp's OTPAdminSite) refuses on its own.
    client.force_login(officer_a)
    officer_a.is_staff = officer_a.is_superuser = True
    officer_a.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_a_role_granted_during_a_session_ends_it_and_the_next_sign_in_owes_the_second_factor(client, officer_a):
    _sign_in(client, officer_a)
    assert client.get(reverse("home")).status_code == 200
    grant(officer_a, Role.EOSG)
    assert client.get(reverse("home")).url.startswith(reverse("login"))  # at once, not within a minute
    _sign_in(client, officer_a)
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_setup"))


def test_a_role_taken_away_ends_every_session_of_that_person_only(officer_a, officer_b):
    from django.test import Client

    phone, laptop, colleague = Client(), Client(), Client()
    for c, user in ((phone, officer_a), (laptop, officer_a), (colleague, officer_b)):
        _sign_in(c, user)
        assert c.get(reverse("home")).status_code == 200
    officer_a.roles.get().delete()  # reassigned: the country is taken away
    assert phone.get(reverse("home")).status_code == 302 and laptop.get(reverse("home")).status_code == 302
    assert colleague.get(reverse("home")).status_code == 200


def test_a_device_removed_elsewhere_stops_vouching_for_the_session(login, client, eosg, time_machine):
    login(eosg)
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.filter(user=eosg).delete()  # an administrator removes a lost phone
    time_machine.shift(dt.timedelta(seconds=61))
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_setup"))


def test_it_is_turned_off_only_with_a_code(client, officer_a, time_machine):
    client.force_login(officer_a)
    device, _codes = _enrol(client)
    time_machine.shift(dt.timedelta(seconds=30))  # the enrolment code cannot be replayed
    wrong = client.post(reverse("two_factor_disable"), {"code": "123456" if _code(device.bin_key) != "123456" else "654321"})
    assert wrong.status_code == 302 and TOTPDevice.objects.filter(user=officer_a).exists()
    time_machine.shift(dt.timedelta(seconds=30))
    assert client.post(reverse("two_factor_disable"), {"code": _code(device.bin_key)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    assert not StaticToken.objects.filter(device__user=officer_a).exists()
    assert client.get(reverse("home")).status_code == 200


def test_eosg_who_turns_it_off_must_set_it_up_again(login, client, eosg, time_machine):
    login(eosg)
    device = TOTPDevice.objects.get(user=eosg)
    response = client.post(reverse("two_factor_disable"), {"code": _code(device.bin_key)})
    assert response.url == reverse("two_factor_setup")
    assert client.get(reverse("home")).url.startswith(reverse("two_factor_setup"))


def test_the_login_fixture_passes_the_step_with_a_real_device(client, eosg):
    client.force_login(eosg)
    assert client.get(reverse("home")).status_code == 302
    pass_second_factor(client, eosg)
    assert client.get(reverse("home")).status_code == 200
    assert TOTPDevice.objects.get(user=eosg).confirmed


def test_backup_codes_are_stored_as_keyed_digests_and_survive_a_key_rotation(client, officer_a, settings):
    client.force_login(officer_a)
    _device_, codes = _enrol(client)
    stored = set(StaticToken.objects.filter(device__user=officer_a).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)  # a copy of the table gives no code away
    assert all(re.fullmatch(r"[0-9a-f]{16}", t) for t in stored)

    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-new-key-" + "x" * 40, [old_key]
    client.post(reverse("logout"))
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": codes[1]}).status_code == 302
    settings.SECRET_KEY_FALLBACKS = []  # the old key retired: codes made under it no longer match
    client.post(reverse("logout"))
    _sign_in(client, officer_a)
    assert client.post(reverse("two_factor_verify"), {"code": codes[2]}).status_code == 400
