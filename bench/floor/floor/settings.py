"""The floor (issue 9): the least Django can do to serve a submit and a "latest 20" read.

Same Python, Django, psycopg and gunicorn flags as Lapor in bench/bench.py, same
PostgreSQL server (its own database), no middleware, no templates, no sessions.
"""
import os

import dj_database_url

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-floor-not-secret")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
INSTALLED_APPS = ["floor"]
MIDDLEWARE = []
ROOT_URLCONF = "floor.urls"
WSGI_APPLICATION = "floor.wsgi.application"
DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lapor_bench_floor"),
    conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
