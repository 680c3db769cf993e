"""Evidence files in the browser, on a phone: an officer attaches a photo to an alert and sees its
thumbnail, a file of a refused type is explained, the chair of the region downloads the photo, and the
chair of another region is refused it."""

import pytest
from playwright.sync_api import expect

from scans.models import Alert, EvidenceFile

from ..evidence_fixtures import photo_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_photo_attached_on_a_phone_is_served_to_its_readers_only(
    visit, evidence_store, country_a, officer_a, chair_a, chair_b, tmp_path
):
    alert = Alert.objects.create(country=country_a, title="Attack on the camp", location="North", severity="severe",
                                 description="d", raised_by=officer_a, evidence_restricted=True)
    photo, text = tmp_path / "camp.jpg", tmp_path / "notes.jpg"
    photo.write_bytes(photo_upload().read())
    text.write_bytes(b"not a photo at all\n" * 5)

    v = visit("officer", phone=True)
    page = v.login(officer_a)
    page.goto(v.url(f"/alerts/{alert.pk}/"))
    v.check("alert page with the upload form")
    page.get_by_label("File").set_input_files(str(photo))
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_contain_text("File attached.")
    thumbnail = page.get_by_role("img", name="Photo: camp.jpg")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth") == 320  # served, re-encoded small
    v.check("alert with its photo")
    page.get_by_label("File").set_input_files(str(text))
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("alert")).to_contain_text("The file was not attached")
    v.check("a refused file")
    v.assert_clean()

    evidence = EvidenceFile.objects.get()
    assert evidence.name == "camp.jpg" and evidence.alert == alert

    c = visit("chair")
    chair = c.login(chair_a)
    chair.goto(c.url(f"/alerts/{alert.pk}/"))
    with chair.expect_download() as download:
        chair.get_by_role("link", name="camp.jpg").click()
    assert download.value.suggested_filename == "camp.jpg"
    assert open(download.value.path(), "rb").read() == evidence.file.open("rb").read()

    other = visit("other chair")
    stranger = other.login(chair_b)
    answer = stranger.request.get(other.url(f"/evidence/{evidence.pk}/"))
    assert answer.status == 404
