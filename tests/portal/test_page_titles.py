"""A browser tab (and a search result, a bookmark) names the page, then the site."""
import re

import pytest

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def title_of(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200
    return TITLE.search(response.content.decode()).group(1)


@pytest.mark.django_db
def test_a_page_title_is_separated_from_the_site_name(client):
    assert title_of(client, "/laporan/") == "Laporan publik · Lapor"
    assert title_of(client, "/laporan/", HTTP_ACCEPT_LANGUAGE="en") == "Public reports · Lapor"
    assert title_of(client, "/statistik/") == "Statistik laporan · Lapor"


@pytest.mark.django_db
def test_a_page_without_a_title_of_its_own_is_named_lapor_alone(client):
    from django.template import Context, Template

    rendered = Template('{% extends "base.html" %}').render(Context({}))
    assert TITLE.search(rendered).group(1) == "Lapor"
