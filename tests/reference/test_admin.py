"""The national admin keeps master data in the Django admin: every page of it opens."""
import pytest
from django.urls import reverse

from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership, RoutingRule
from lapor.categories.models import Category
from lapor.demo.seed import DEFAULT_PASSWORD, seed_demo
from lapor.regions.models import Region
from tests.office.staff import sign_in

pytestmark = pytest.mark.usefixtures("fast_passwords")


@pytest.fixture
def national_admin(client, kalsel_regions):
    seed_demo(password=DEFAULT_PASSWORD)
    # Staff pass the second factor before the admin too (lapor.office.middleware).
    return sign_in(client, User.objects.get(username="admin.nasional"))


@pytest.mark.parametrize("model", [Region, Agency, Membership, RoutingRule, Category])
def test_the_national_admin_can_list_add_and_change_master_data(national_admin, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    assert national_admin.get(changelist).status_code == 200
    assert national_admin.get(changelist, {"q": "Banjar"}).status_code == 200
    assert national_admin.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    obj = model.objects.order_by("pk").last()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert national_admin.get(change).status_code == 200


def test_a_region_name_can_be_corrected_but_not_its_code_or_deleted(national_admin):
    url = reverse("admin:regions_region_change", args=["63.72.02.1005"])

    response = national_admin.post(url, {"name": "Guntung Manggis (koreksi)", "code": "99"})

    assert response.status_code == 302
    village = Region.objects.get(code="63.72.02.1005")
    assert village.name == "Guntung Manggis (koreksi)"
    assert not Region.objects.filter(code="99").exists()
    assert national_admin.get(reverse("admin:regions_region_delete", args=["63.72.02.1005"])).status_code == 403


def test_the_category_list_filters_by_topic(national_admin):
    topic = Category.objects.get(name="Kesehatan")

    response = national_admin.get(reverse("admin:categories_category_changelist"), {"topik": topic.pk})

    names = {c.name for c in response.context["cl"].result_list}
    assert "BPJS Kesehatan" in names and "Jalan Rusak" not in names


def test_an_edited_topic_in_the_address_is_refused_by_the_list_not_a_server_error(national_admin):
    response = national_admin.get(reverse("admin:categories_category_changelist"), {"topik": "abc"})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def _form_data(html: str) -> dict:
    """The values a browser would send back from an admin change page."""
    import re

    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or ("checkbox" in tag and "checked" not in tag):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = ("on" if "checkbox" in tag and not value else value.group(1) if value else "")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_making_a_topic_with_sub_topics_a_sub_topic_says_why_on_the_parent_field(national_admin):
    topic = Category.objects.get(name="Agama")
    assert topic.children.exists()
    url = reverse("admin:categories_category_change", args=[topic.pk])
    data = _form_data(national_admin.get(url).content.decode())
    data["parent"] = str(Category.objects.get(name="Kesehatan").pk)

    response = national_admin.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["parent"] == [
        f"Kategori hanya dua tingkat: topik ini punya {topic.children.count()} sub-topik. Pindahkan sub-topiknya "
        "ke topik lain dahulu, atau biarkan topik ini tanpa induk."]
    topic.refresh_from_db()
    assert topic.parent is None
