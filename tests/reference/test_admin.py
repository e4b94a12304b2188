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
