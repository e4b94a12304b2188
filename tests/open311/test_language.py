"""Open311 answers in the reader's language (Accept-Language; Indonesian by default):
the services' attributes and their values, the notice of a new request, every error.
Only what the service stores (a report's text, a category's name) stays as it was written."""
import json

import pytest

from .test_georeport_v2 import BASE, connected

# Words of Lapor's own Indonesian messages here; an English answer has none of them.
INDONESIAN = {"tidak", "wajib", "harus", "atau", "bukan", "dikenal", "ditemukan", "Diterima", "diverifikasi",
              "paling", "lambat", "Lihat", "karakter", "Judul", "Jenis", "Instansi", "Tanggal", "kejadian",
              "Ya", "Tidak", "Sembunyikan", "Laporan", "Layanan", "Sumber", "Lokasi", "angka", "antara",
              "bilangan", "Metode", "didukung", "bawaan", "pelapor"}


def words(text: str) -> set[str]:
    return set(text.replace(":", " ").replace(";", " ").replace(".", " ").replace(",", " ").split())


@pytest.fixture
def app(world):
    return connected("Banjarbaru Ku", world.other_citizen)


def answers(client, world, app, language):
    """(what was asked, the text the reader reads) for a service's definition, a new
    request's notice and one of each error."""
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    definition = client.get(f"{BASE}/services/{world.category.slug}.json", **headers).json()
    texts = [("attributes", " ".join(
        [a["description"] + " " + a["datatype_description"] for a in definition["attributes"]]
        + [v["name"] for a in definition["attributes"] if a["code"] != "KIND" for v in a.get("values", [])]))]
    sent = {"api_key": app.api_key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83",
            "description": "Lubang besar di depan pasar"}
    created = client.post(f"{BASE}/requests.json", sent, **headers)
    assert created.status_code == 201 or created.status_code == 200, created.content
    texts.append(("notice", created.json()[0]["service_notice"]))
    errors = {
        "format": client.get(f"{BASE}/services.yaml", **headers),
        "resource": client.get(f"{BASE}/nothing.json", **headers),
        "service": client.get(f"{BASE}/services/no-such-service.json", **headers),
        "method": client.put(f"{BASE}/services.json", **headers),
        "key missing": client.post(f"{BASE}/requests.json", {"service_code": world.category.slug}, **headers),
        "key wrong": client.post(f"{BASE}/requests.json", {**sent, "api_key": "nope"}, **headers),
        "location": client.post(f"{BASE}/requests.json", {**sent, "lat": "", "long": ""}, **headers),
        "coordinates": client.post(f"{BASE}/requests.json", {**sent, "lat": "utara", "long": "x"}, **headers),
        "kind": client.post(f"{BASE}/requests.json", {**sent, "attribute[KIND]": "keluhan"}, **headers),
        "agency": client.post(f"{BASE}/requests.json", {**sent, "attribute[AGENCY]": "entah"}, **headers),
        "incident date": client.post(f"{BASE}/requests.json", {**sent, "attribute[INCIDENT_DATE]": "kemarin"},
                                     **headers),
        "date": client.get(f"{BASE}/requests.json", {"start_date": "kemarin"}, **headers),
        "integer": client.get(f"{BASE}/requests.json", {"page": "dua"}, **headers),
        "range": client.get(f"{BASE}/requests.json", {"page_size": "0"}, **headers),
        "status": client.get(f"{BASE}/requests.json", {"status": "lama"}, **headers),
        "request": client.get(f"{BASE}/requests/999999999.json", **headers),
        "token": client.get(f"{BASE}/tokens/nothing.json", **headers),
        "update": client.post(f"{BASE}/servicerequestupdates.json",
                              {"api_key": app.api_key, "service_request_id": "999999999", "description": "x"},
                              **headers),
    }
    for name, response in errors.items():
        assert response.status_code in (400, 403, 404), (name, response.status_code)
        [error] = json.loads(response.content)
        texts.append((name, error["description"]))
    return dict(texts)


def test_every_message_open311_writes_is_in_the_readers_language(world, client, app):
    indonesian = answers(client, world, app, "id")
    english = answers(client, world, app, "en")
    for what, text in english.items():
        assert not words(text) & INDONESIAN, (what, text)
        assert text != indonesian[what], what
    # The Indonesian answers are the ones the check above would catch.
    assert all(words(text) & INDONESIAN for text in indonesian.values()), indonesian
