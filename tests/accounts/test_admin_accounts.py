"""An account made in the Django admin (a government's first admin, an officer) can sign in:
the form asks for its e-mail address, which sign-in confirms."""
import pytest
from django.contrib.auth import get_user_model

User = get_user_model()


@pytest.fixture
def admin_pages(admin_client, settings):
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    return admin_client


def add(client, **fields):
    data = {"username": "admin.tanahlaut", "full_name": "Admin Tanah Laut", "usable_password": "true",
            "password1": "Kuat-sekali-2026!", "password2": "Kuat-sekali-2026!",
            "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", **fields}
    return client.post("/admin/accounts/user/add/", data)


@pytest.mark.django_db
def test_the_admins_new_account_form_asks_for_the_e_mail_and_keeps_what_was_typed(admin_pages):
    page = add(admin_pages, email="")
    assert page.status_code == 200
    assert not User.objects.filter(username="admin.tanahlaut").exists()
    text = page.content.decode()
    assert 'name="email"' in text and "Admin Tanah Laut" in text  # the name typed stays


@pytest.mark.django_db
def test_an_account_made_in_the_admin_signs_in_after_confirming_its_address(admin_pages, client, mailoutbox):
    response = add(admin_pages, email="Admin@TanahLaut.go.id")
    assert response.status_code == 302
    assert User.objects.get(username="admin.tanahlaut").email == "admin@tanahlaut.go.id"

    client.post("/akun/login/", {"login": "admin.tanahlaut", "password": "Kuat-sekali-2026!"})
    assert [m.to for m in mailoutbox] == [["admin@tanahlaut.go.id"]]  # the confirmation link, really sent


@pytest.mark.django_db
def test_an_address_another_account_uses_is_refused_by_name(admin_pages, world):
    page = add(admin_pages, email=world.citizen.email)
    assert "sudah dipakai akun lain" in page.content.decode()
