"""factory_boy factories for the domain. Tests build what they need with these."""
import datetime

import factory
from django.utils import timezone

from lapor.accounts.models import ReporterProfile, User
from lapor.agencies.models import Agency, Membership
from lapor.categories.models import Category
from lapor.regions.models import Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.id")
    password = factory.django.Password("rahasia-uji-123")


class ReporterProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReporterProfile

    user = factory.SubFactory(UserFactory)
    phone = factory.Sequence(lambda n: f"+628125{n:07d}")
    email = factory.LazyAttribute(lambda p: p.user.email)
    sex = "M"
    birth_date = datetime.date(1990, 5, 17)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "63"
    name = "Kalimantan Selatan"
    level = factory.LazyAttribute(lambda r: Region.level_of(r.code))


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Instansi {n}")
    slug = factory.Sequence(lambda n: f"instansi-{n}")
    time_zone = "Asia/Makassar"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = "officer"


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


def aware(*args, zone="Asia/Makassar"):
    from zoneinfo import ZoneInfo

    return datetime.datetime(*args, tzinfo=ZoneInfo(zone))


def now():
    return timezone.now()
