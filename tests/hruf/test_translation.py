"""Each of the six languages is complete and compiled; what a French-speaking user actually sees; Arabic is laid out right to left."""

import ast
import datetime as dt
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale

from scans.models import Scan

BASE = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


def parse_po(path: Path) -> list[dict]:
    """The live entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list), flags. Obsolete ones are left out."""
    entries, entry, field = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _continue_field(entry, field, ast.literal_eval(line))
        else:
            field = _start_field(entry, line)
    return [e for e in entries if e["msgid"]]  # without the header


def _continue_field(entry: dict, field, value: str) -> None:
    if isinstance(field, tuple):
        entry["msgstr"][field[1]] += value
    else:
        entry[field] += value


def _start_field(entry: dict, line: str):
    """A keyword line (msgid "...", msgstr[1] "..."): stores its value, returns the field it opens."""
    keyword, value = line.split(" ", 1)
    value = ast.literal_eval(value)
    match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
    if match or keyword == "msgstr":
        field = ("msgstr", int(match.group(1)) if match else 0)
        entry["msgstr"][field[1]] = value
        return field
    entry[keyword] = value
    return keyword


def _problems(entries: list[dict], forms: int) -> list[str]:
    problems = []
    for e in entries:
        name = repr(e["msgid"]) + (f" (context {e['msgctxt']!r})" if e["msgctxt"] else "")
        if "fuzzy" in e["flags"]:
            problems.append(f"fuzzy: {name}")
        expected_forms = forms if e["msgid_plural"] else 1
        if len(e["msgstr"]) != expected_forms or not all(s.strip() for s in e["msgstr"].values()):
            problems.append(f"untranslated: {name}")
            continue
        if e["msgid_plural"]:  # a form may say "one" without the number; it may not bring its own
            allowed = set(PLACEHOLDER.findall(e["msgid"])) | set(PLACEHOLDER.findall(e["msgid_plural"]))
            problems += [f"placeholders differ: {name} -> {text!r}" for text in e["msgstr"].values()
                         if not set(PLACEHOLDER.findall(text)) <= allowed]
        elif sorted(PLACEHOLDER.findall(e["msgstr"][0])) != sorted(PLACEHOLDER.findall(e["msgid"])):
            problems.append(f"placeholders differ: {name} -> {e['msgstr'][0]!r}")
    return problems


def _key(e: dict) -> str:
    return f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] else e["msgid"]


def _po(folder: str) -> Path:
    return BASE / "locale" / folder / "LC_MESSAGES" / "django.po"


# Each catalogue's folder and its number of plural forms (gettext's, as Django's own catalogues have them).
CATALOGUES = {"fr": 2, "es": 3, "ru": 4, "ar": 6, "zh_Hans": 1}


def test_every_offered_language_has_a_catalogue():
    offered = {to_locale(code) for code, _name in settings.LANGUAGES} - {"en"}
    assert offered == set(CATALOGUES)


@pytest.mark.parametrize(("folder", "forms"), CATALOGUES.items())
def test_every_message_is_translated_with_its_placeholders(folder, forms):
    entries = parse_po(_po(folder))
    assert len(entries) > 500
    assert _problems(entries, forms) == []
    header = _po(folder).read_text(encoding="utf-8")
    assert f'"Plural-Forms: nplurals={forms};' in header and f'"Language: {folder}\\n"' in header


@pytest.mark.parametrize("folder", CATALOGUES)
def test_the_compiled_catalogue_matches_the_po_file(folder):
    """The .mo is committed (a fresh machine may lack gettext): it must say exactly what the .po says."""
    with _po(folder).with_suffix(".mo").open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    compiled = {k: v for k, v in catalog.items() if k != ""}
    expected = {}
    for e in parse_po(_po(folder)):
        if e["msgid_plural"]:
            for i, text in e["msgstr"].items():
                expected[(_key(e), i)] = text
        else:
            expected[_key(e)] = e["msgstr"][0]
    assert compiled == expected, f"locale/{folder}/LC_MESSAGES/django.mo is stale: run `manage.py compilemessages`."


@pytest.mark.skipif(not (shutil.which("xgettext") and shutil.which("msgmerge")), reason="needs GNU gettext")
@override_settings(LOCALE_PATHS=[])
def test_the_po_files_cover_every_translatable_string_in_the_code(tmp_path, monkeypatch):
    """Extract the strings afresh (on a copy of the sources) and merge them into each committed .po:
    nothing may come out new, changed or gone, in any language."""
    for name in ("hruf", "scans", "reviews", "followup", "exports", "briefings", "templates"):
        shutil.copytree(BASE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    for folder in CATALOGUES:
        target = tmp_path / "locale" / folder / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(_po(folder), target / "django.po")
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=list(CATALOGUES), extensions=["html", "txt", "py"], verbosity=0)
    for folder, forms in CATALOGUES.items():
        fresh = parse_po(tmp_path / "locale" / folder / "LC_MESSAGES" / "django.po")
        committed = parse_po(_po(folder))
        how = f"run `manage.py makemessages -l {folder}`, translate, then `manage.py compilemessages`"
        assert _problems(fresh, forms) == [], f"{folder} is incomplete: {how}."
        assert {_key(e) for e in fresh} == {_key(e) for e in committed}, f"locale/{folder} is out of date: {how}."


@pytest.mark.parametrize("folder", CATALOGUES)
def test_msgfmt_accepts_the_po_file(folder):
    if not shutil.which("msgfmt"):
        pytest.skip("needs GNU gettext")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(_po(folder))], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr


# --- What a French-speaking user sees ------------------------------------------------------


@pytest.fixture
def french(client):
    """Switch the way a user does: the language switcher posts to set_language."""
    response = client.post(reverse("set_language"), {"language": "fr", "next": reverse("login")})
    assert response.status_code == 302
    return client


def test_the_language_switcher_turns_the_pages_french(french):
    html = french.get(reverse("login")).content.decode()
    assert '<html lang="fr"' in html
    assert "<title>Connexion · HRuF</title>" in html
    assert "Aller au contenu principal" in html
    assert "Nom d’utilisateur" in html  # Django's own catalogue, for its login form


def test_the_browser_language_is_honoured_without_switching(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="fr"' in html and "Connexion" in html


@pytest.fixture
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC), tick=False)


@pytest.mark.usefixtures("matrix", "_today")
def test_scan_messages_and_validation_errors_come_in_french(french, country_a, officer_a):
    french.force_login(officer_a)
    # A message from Python code (periods.py) after a bad period.
    response = french.post(reverse("scans:scan_start", args=[country_a.iso3]), {"period": "2026-13"}, follow=True)
    assert "«\xa02026-13\xa0» n’est pas une période\xa0: utilisez 2026-Q3" in response.content.decode()

    french.post(reverse("scans:scan_start", args=[country_a.iso3]), {"period": "2026-Q4"})
    scan = Scan.objects.get(country=country_a, period="2026-Q4")
    url = reverse("scans:scan_edit", args=[scan.pk])
    page = french.get(url)
    html = page.content.decode()
    assert "Enregistrer le brouillon" in html and "Soumettre l’analyse" in html
    assert "Très grave" in html  # the rating choices, from the model

    form, formset = page.context["form"], page.context["formset"]
    data = {"lock_version": form["lock_version"].value(), "narrative": "", "action": "submit"}
    data.update({f"r-{k}": v for k, v in formset.management_form.initial.items()})
    for row in formset:
        for name in ("rating_id", "rating", "trend", "evidence", "confidence"):
            value = row[name].value()
            data[row[name].html_name] = "" if value is None else value
    data["r-0-rating"] = "3"  # severe, without evidence
    response = french.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Veuillez corriger les points suivants" in html
    assert "Évaluez cet indicateur." in html
    assert "Des éléments de preuve sont exigés pour les évaluations 2 (grave) et 3 (très grave)." in html


@pytest.mark.usefixtures("matrix", "_today")
def test_dates_are_written_the_french_way(french, country_a, officer_a):
    french.force_login(officer_a)
    html = french.get(reverse("scans:country_detail", args=[country_a.iso3])).content.decode()
    # The 2026-Q4 scan is due on the period's 60th day: 29 November 2026.
    assert "analyse attendue le 29 novembre 2026." in html
    assert "November" not in html


def test_numbers_are_written_the_french_way():
    from django.template import Context, Template

    with translation.override("fr"):
        assert Template("{{ x }}").render(Context({"x": 1234.5})) == "1234,5"
        assert Template("{{ d|date:'j F Y' }}").render(Context({"d": dt.date(2026, 3, 1)})) == "1 mars 2026"


# --- Right to left -------------------------------------------------------------------------


def test_an_arabic_page_is_laid_out_right_to_left(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', html)
    assert "bootstrap/css/bootstrap.rtl.min.css" in html
    assert "bootstrap/css/bootstrap.min.css" not in html

    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert re.search(r'<html lang="fr" dir="ltr"', html)
    assert "bootstrap/css/bootstrap.min.css" in html
