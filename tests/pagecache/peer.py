"""A second process sharing the database and the cache with the test run: another app server.

Reads one address per line on standard input and answers each with one JSON line
{"status": ..., "body": ...}, as an anonymous visitor would see the page. The database name
comes from PEER_DATABASE_NAME (the test database the test run made)."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yogasite.settings.test")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.DATABASES["default"]["NAME"] = os.environ["PEER_DATABASE_NAME"]
django.setup()

from django.test import Client  # noqa: E402

client = Client()
for line in sys.stdin:
    response = client.get(line.strip())
    body = response.content.decode() if response.status_code == 200 else ""
    print(json.dumps({"status": response.status_code, "body": body}), flush=True)
