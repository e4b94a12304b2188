"""The English interface: the language switch turns the portal English, Indonesian stays the
default, and the English catalogue (lapor/locale/en) is complete and compiled."""
import ast
import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "lapor" / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    # LocaleMiddleware activates the request's language for the whole thread; later tests
    # must not inherit English.
    yield
    translation.deactivate()


def switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- Pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_is_indonesian_by_default(client, world):
    home = page(client, "/")
    assert '<html lang="id">' in home
    assert "Sampaikan laporan Anda" in home
    assert "Cara kerjanya" in home
    assert "Submit your report" not in home

    reports = page(client, "/laporan/")
    assert "Cari dan saring laporan" in reports
    assert "Semua status" in reports

    client.force_login(world.citizen)
    form = page(client, "/lapor/")
    assert "Jenis laporan" in form
    assert "Identitas Anda disembunyikan dari instansi dan publik" in form


@pytest.mark.django_db
def test_the_language_switch_turns_the_home_page_english(client):
    switch_to_english(client)
    home = page(client, "/")
    assert '<html lang="en">' in home
    assert "Submit your report" in home
    assert "How it works" in home
    assert "Public reports" in home
    assert "Sampaikan laporan Anda" not in home


@pytest.mark.django_db
def test_the_public_report_list_is_english_after_the_switch(client):
    switch_to_english(client)
    reports = page(client, "/laporan/")
    assert "Search and filter reports" in reports
    assert "All statuses" in reports
    assert "Awaiting transfer" in reports and "Awaiting verification" not in reports  # never a published report's
    assert "Cari dan saring laporan" not in reports


@pytest.mark.django_db
def test_the_report_form_is_english_after_the_switch(client, world):
    switch_to_english(client)
    client.force_login(world.citizen)
    form = page(client, "/lapor/")
    assert "Type of report" in form
    assert "Your identity is hidden from the agency and the public" in form
    assert "Send report" in form
    assert "Identitas Anda disembunyikan dari instansi dan publik" not in form


# --- The catalogue -------------------------------------------------------------------------


def read_po(path: Path) -> list[dict]:
    """The entries of a .po file, each {"msgid", maybe "msgid_plural", "msgstr": {index:
    text}, "flags", "obsolete"}: just enough of the format for the checks below."""
    entries, entry, target = [], None, None

    def new_entry():
        return {"flags": set(), "msgstr": {}, "obsolete": False}

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line, obsolete = raw.strip(), False
        if line.startswith("#~"):
            line, obsolete = line[2:].strip(), True
        if not line:
            finish()
            entry, target = None, None
            continue
        if line.startswith("#"):
            if line.startswith("#,"):
                if entry is not None and "msgid" in entry:
                    finish()
                    entry = None
                entry = entry or new_entry()
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith('"'):
            text = ast.literal_eval(line)
            if target[0] == "msgstr":
                entry["msgstr"][target[1]] += text
            else:
                entry[target[0]] += text
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in ("msgctxt", "msgid") and entry is not None and "msgid" in entry:
            finish()
            entry = None
        entry = entry or new_entry()
        entry["obsolete"] = entry["obsolete"] or obsolete
        if keyword.startswith("msgstr"):
            index = int(keyword[len("msgstr["):-1]) if "[" in keyword else 0
            entry["msgstr"][index] = ast.literal_eval(rest)
            target = ("msgstr", index)
        else:
            entry[keyword] = ast.literal_eval(rest)
            target = (keyword, None)
    finish()
    return entries


@pytest.fixture(scope="module")
def english_entries():
    entries = [e for e in read_po(CATALOGUE / "django.po") if not e["obsolete"]]
    assert len(entries) > 500, "the English catalogue looks truncated"
    return entries


def test_the_catalogue_header_is_final_and_english(english_entries):
    header = next(e for e in english_entries if e["msgid"] == "")
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_english_entry_is_translated_and_none_is_fuzzy(english_entries):
    messages = [e for e in english_entries if e["msgid"]]
    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == [], f"{len(untranslated)} untranslated; run script/translations"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy; run script/translations"
    plural = [e for e in messages if "msgid_plural" in e]
    assert plural and all(len(e["msgstr"]) == 2 for e in plural)


def test_the_compiled_catalogue_matches_the_po_file(english_entries):
    # A fresh machine may lack msgfmt: the .mo in the repository must be up to date.
    with open(CATALOGUE / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in english_entries:
        if not e["msgid"]:
            continue
        if "msgid_plural" in e:
            got = [compiled.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            want = [e["msgstr"][0], e["msgstr"][1]]
        elif "msgctxt" in e:  # the same Indonesian words in another sense (pgettext)
            got, want = [compiled.pgettext(e["msgctxt"], e["msgid"])], [e["msgstr"][0]]
        else:
            got, want = [compiled.gettext(e["msgid"])], [e["msgstr"][0]]
        if got != want:
            stale.append(e["msgid"])
    assert stale == [], f"{len(stale)} entries differ in django.mo; run script/translations --compile"


# --- Every string the code marks is in a catalogue ----------------------------------------

ROOT = CATALOGUE.parents[3]
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


def marked_in_python(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.add(node.args[0].value)
    return found


TEMPLATE_MARK = re.compile(r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')""")


BLOCK_MARK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b([^%]*)%\}(.*?)\{%\s*(?:endblocktrans(?:late)?|plural)\s*%\}", re.S)
BLOCK_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def marked_in_templates(path: Path) -> set[str]:
    """{% translate "…" %} strings, and {% blocktranslate %} bodies as makemessages writes
    them ({{ n }} as %(n)s; "trimmed" joins the stripped lines with spaces)."""
    text = path.read_text(encoding="utf-8")
    found = {a or b for a, b in TEMPLATE_MARK.findall(text)}
    for options, body in BLOCK_MARK.findall(text):
        if "context" in options:
            continue
        if "trimmed" in options.split():
            body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
        found.add(BLOCK_VARIABLE.sub(lambda m: f"%({m.group(1)})s", body))
    return found


def test_every_string_marked_for_translation_is_in_a_catalogue():
    # script/translations re-extracts; a string added without running it reaches English
    # readers in Indonesian although every catalogue entry is translated.
    known = {e["msgid"] for po in (ROOT / "lapor").rglob("locale/en/LC_MESSAGES/django.po")
             for e in read_po(po) if not e["obsolete"]}
    marked = {}
    for path in (ROOT / "lapor").rglob("*.py"):
        if "migrations" not in path.parts:
            for text in marked_in_python(path):
                marked.setdefault(text, path)
    for path in (ROOT / "lapor").rglob("*.html"):
        for text in marked_in_templates(path):
            marked.setdefault(text, path)
    assert len(marked) > 500
    missing = sorted(f"{path.relative_to(ROOT)}: {text}" for text, path in marked.items() if text and text not in known)
    assert missing == [], f"{len(missing)} marked strings are in no catalogue; run script/translations"


def test_translation_functions_keep_names_that_extraction_knows():
    # makemessages finds _(), gettext(), gettext_lazy(), ngettext()… by name: a string
    # marked through another alias (gettext_lazy as _l) is silently never extracted.
    known_names = {"_", None}
    renamed = []
    for path in (ROOT / "lapor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
                renamed += [f"{path.relative_to(ROOT)}: {a.name} as {a.asname}" for a in node.names
                            if "gettext" in a.name and a.asname not in known_names]
    assert renamed == []



def test_the_apis_own_catalogue_is_translated_too():
    """lapor/api keeps its own catalogue (Django files its strings there): an API message
    found only there would reach English readers in Indonesian while it is empty."""
    entries = [e for e in read_po(CATALOGUE.parents[2] / "api" / "locale" / "en" / "LC_MESSAGES" / "django.po")
               if not e["obsolete"] and e["msgid"]]
    assert entries
    assert [e["msgid"] for e in entries if not all(e["msgstr"].values()) or "fuzzy" in e["flags"]] == []


def test_the_indonesian_catalogue_for_the_api_framework_is_compiled():
    """lapor/api/locale/id is kept by hand (Django REST framework's messages that its own
    Indonesian catalogue lacks): its .mo in the repository must say what the .po says."""
    folder = CATALOGUE.parents[2] / "api" / "locale" / "id" / "LC_MESSAGES"
    entries = [e for e in read_po(folder / "django.po") if not e["obsolete"] and e["msgid"]]
    assert len(entries) > 50 and all(e["msgstr"][0] for e in entries)
    with open(folder / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert [e["msgid"] for e in entries if compiled.gettext(e["msgid"]) != e["msgstr"][0]] == []
