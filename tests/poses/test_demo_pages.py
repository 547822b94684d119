"""The demo content's Backbend page shows every section the product promises."""

import json
from html import escape
from pathlib import Path

import pytest
from django.core.management import call_command

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not DEMO.exists(), reason="demo/content.json is not in the tree"),
]


@pytest.fixture
def demo():
    call_command("import_content", str(DEMO))
    document = json.loads(DEMO.read_text())
    return {pose["slug"]: pose for pose in document["poses"]}


def section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_demo_backbend_page_shows_every_section(client, demo):
    pose = demo["backbend"]
    response = client.get("/poses/backbend/")
    assert response.status_code == 200
    html = response.content.decode()

    assert f">{escape(pose['name'])}</h1>" in html
    assert escape(pose["sanskrit_name"]) in html
    for other in pose.get("other_names", []):
        assert escape(other) in html

    how_to = section(html, "how-to")
    assert "How to do" in how_to
    for step in pose["steps"]:
        assert escape(step) in how_to

    muscles = section(html, "muscles")
    assert "Muscles worked" in muscles and "Primary muscles" in muscles and "Secondary muscles" in muscles
    assert 'class="bm-figure bm-figure--linked"' in muscles
    for slug in pose["muscles"]["primary"]:
        assert f'bm-primary" data-muscle="{slug}"' in muscles

    for anchor, heading, key in [
        ("tips", "Pro tips", "tips"),
        ("benefits", "Benefits", "benefits"),
        ("mistakes", "Common mistakes", "mistakes"),
    ]:
        part = section(html, anchor)
        assert heading in part
        for item in pose[key]:
            assert escape(item) in part
        if len(pose[key]) > 3:
            assert "View more" in part

    warm = section(html, "warm-up-cool-down")
    assert "Warm up &amp; cool down" in warm
    warm_up = demo[pose["warm_up"]["pose"]]
    assert escape(warm_up["name"]) in warm and escape(pose["warm_up"]["note"]) in warm
    for step in warm_up["steps"]:
        assert escape(step) in warm
    cool_down = demo[pose["cool_down"]["pose"]]
    for step in cool_down["steps"]:
        assert escape(step) in warm

    faq = section(html, "faq")
    for item in pose["faqs"]:
        assert escape(item["question"]) in faq

    assert 'class="card"' in section(html, "same-muscles")
    assert 'class="card"' in section(html, "related")
