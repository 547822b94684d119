"""The site as an app: the manifest, its icons, the favicon and the service worker's address."""

from pathlib import Path

import pytest
from PIL import Image

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_manifest_names_the_site_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Yogasite" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        assert path.exists(), icon["src"]
        if icon["type"] == "image/png":
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert Image.open(path).size == (width, height)


def test_every_page_links_the_manifest_icons_and_service_worker(client):
    markup = client.get("/practice/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in markup
    assert 'rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png"' in markup
    assert Image.open(STATIC / "icons" / "apple-touch-icon.png").size == (180, 180)
    assert '<link rel="icon" href="/static/icons/icon.svg" type="image/svg+xml">' in markup
    assert "/static/js/sw-register.js" in markup


def test_favicon_is_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/icons/favicon.ico"
    assert Image.open(STATIC / "icons" / "favicon.ico").format == "ICO"


def test_service_worker_is_served_from_the_root_and_never_cached_stale(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    # Network first: a saved copy answers only when the network fails.
    assert "fetch(request).catch(() => saved(request))" in script
    assert "cache.put" not in script and "addAll" not in script
