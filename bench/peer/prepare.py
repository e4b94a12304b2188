"""Run inside the peer's venv after migrate: a staff user, its API token and one queue.
Prints "TOKEN QUEUE_ID" for bench/bench.py."""
import os
import sys

import django

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_site.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from helpdesk.models import Queue  # noqa: E402

user, _ = get_user_model().objects.get_or_create(
    username="bench", defaults={"is_staff": True, "is_superuser": True, "email": "bench@contoh.id"})
user.set_password("bench-peer")
user.save()
token, _ = Token.objects.get_or_create(user=user)
queue, _ = Queue.objects.get_or_create(slug="pengaduan", defaults={"title": "Pengaduan"})
print(token.key, queue.pk)
