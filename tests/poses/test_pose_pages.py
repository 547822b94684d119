"""The pose page: every section a visitor reads, who may see it, and what search engines get."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from poses.models import PoseCaution, PoseStep
from tests.factories import (
    CategoryFactory,
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    add_pose_image,
    backbend_pose,
    complete_pose,
)

pytestmark = pytest.mark.django_db


def jsonld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def of_type(html: str, kind: str) -> dict:
    return next(block for block in jsonld(html) if block["@type"] == kind)


@pytest.fixture
def backbend():
    return backbend_pose()


def test_pose_page_shows_names_summary_and_facts(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    assert "<h1" in html and ">Backbend</h1>" in html
    assert "Ūrdhva Dhanurāsana" in html
    assert "Also called" in html and "Wheel Pose" in html
    assert "A full arch of the spine" in html
    assert "Advanced" in html and "Backbends" in html and "Mat" in html and "heart opener" in html


def test_pose_page_shows_the_steps_in_order_as_a_numbered_list(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    how_to = html[html.index('id="how-to"') :]
    ol = how_to[how_to.index("<ol") : how_to.index("</ol>")]
    assert re.findall(r"Backbend step (\d)\.", ol) == ["1", "2", "3", "4"]


def test_pose_page_lists_primary_and_secondary_muscles_with_descriptions_and_a_body_map(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    muscles = html[html.index('id="muscles"') : html.index('id="tips"')]
    lists = muscles[muscles.index("muscles__lists") :]
    assert lists.index("Primary muscles") < lists.index("Lower Back") < lists.index("Secondary muscles")
    assert lists.index("Secondary muscles") < lists.index("Calves")
    # The map comes first: beside the lists on a wide screen, above them on a phone.
    assert muscles.index("bm-figure") < muscles.index("muscles__lists")
    assert "Steadies the spine." in muscles and "Point and steady the feet." in muscles
    assert 'class="bm-muscle bm-primary" data-muscle="lower-back"' in muscles
    assert 'class="bm-muscle bm-secondary" data-muscle="calves"' in muscles
    assert "css/bodymap.css" in html


def test_long_lists_show_three_items_and_the_rest_behind_view_more(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    tips = html[html.index('id="tips"') : html.index('id="benefits"')]
    shown, hidden = tips.split("<details", 1)
    assert re.findall(r"Tip (\d)", shown) == ["1", "2", "3"]
    assert re.findall(r"Tip (\d)", hidden) == ["4", "5"]
    assert "View more" in hidden
    mistakes = html[html.index('id="mistakes"') : html.index('id="warm-up-cool-down"')]
    assert "<details" not in mistakes and mistakes.count("Mistake ") == 3


def test_warm_up_and_cool_down_show_the_linked_poses_own_steps_image_and_note(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    section = html[html.index('id="warm-up-cool-down"') : html.index('id="faq"')]
    assert "Warm up" in section and "Cobra Pose" in section and "Warm the spine first." in section
    assert "Cobra Pose step 3." in section
    assert "Cool down" in section and "Knees to Chest step 2." in section
    assert 'alt="A person in Cobra Pose"' in section
    assert 'href="/poses/cobra/"' in section


def test_a_draft_warm_up_is_not_shown_to_visitors(client, backbend):
    backbend.warm_up.status = "draft"
    backbend.warm_up.save()
    html = client.get("/poses/backbend/").content.decode()
    assert "Cobra Pose step" not in html
    assert "Knees to Chest step 1." in html


def test_faq_is_shown_as_disclosures(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    faq = html[html.index('id="faq"') :]
    assert "<summary>Question 1 about Backbend?</summary>" in faq and "Answer 2." in faq


def test_same_primary_muscles_lists_poses_with_other_props_only(client, backbend):
    lower_back, middle_back = backbend.primary_muscles
    mat = backbend.equipment.get()
    block = EquipmentFactory(name="Block")
    with_block = complete_pose(name="Supported Bridge", primary=[lower_back, middle_back], equipment=[block])
    body_only = complete_pose(name="Locust", primary=[middle_back, lower_back])
    same_props = complete_pose(name="Bow Pose", primary=[lower_back, middle_back], equipment=[mat])
    complete_pose(name="Hidden Draft", primary=[lower_back, middle_back], status="draft")
    complete_pose(name="Only Secondary", secondary=[lower_back, middle_back])
    # Sitting up straight works the lower back too, but a seated pose is not another backbend.
    complete_pose(name="Easy Pose", primary=[lower_back], equipment=[EquipmentFactory(name="Cushion")])
    complete_pose(name="Also Related", category=backbend.category, primary=[lower_back, middle_back], equipment=[block])
    html = client.get("/poses/backbend/").content.decode()
    section = html[html.index('id="same-muscles"') : html.index('id="related"')]
    assert "Work the lower back and middle back with other props or none." in section
    assert with_block.name in section and "With Block" in section
    assert body_only.name in section and "Body only, no props" in section
    assert same_props.name not in section
    assert "Hidden Draft" not in section and "Only Secondary" not in section and "Easy Pose" not in section
    related = html[html.index('id="related"') :]
    assert "Also Related" in related and "Also Related" not in section


def test_related_poses_share_category_or_tags_and_exclude_self_and_drafts(client, backbend):
    tagged = complete_pose(name="Camel Pose", tags=["heart opener"])
    complete_pose(name="Unrelated Pose")
    complete_pose(name="Draft Backbend", category=backbend.category, status="draft")
    html = client.get("/poses/backbend/").content.decode()
    related = html[html.index('id="related"') :]
    assert "Cobra Pose" in related and tagged.name in related
    assert "Unrelated Pose" not in related and "Draft Backbend" not in related
    assert 'href="/poses/backbend/"' not in related


def test_video_is_a_link_and_nothing_loads_from_another_site(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    assert 'href="https://www.youtube.com/watch?v=abc"' in html and "on YouTube" in html
    assert "<iframe" not in html
    assert not re.search(r'(src|srcset)="https?://', html)


def test_main_image_loads_eagerly_and_the_others_lazily_with_responsive_attributes(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    images = re.findall(r"<img [^>]*>", html)
    main = next(tag for tag in images if "pose-hero__image" in tag)
    assert 'loading="lazy"' not in main and 'fetchpriority="high"' in main
    assert 'width="480" height="360"' in main and "320w" in main and 'sizes="' in main
    others = [tag for tag in images if tag is not main]
    assert others and all('loading="lazy"' in tag and 'decoding="async"' in tag and "alt=" in tag for tag in others)


def test_draft_pose_is_not_found_for_visitors(client):
    PoseFactory(slug="secret", status="draft")
    assert client.get("/poses/secret/").status_code == 404


def test_future_pose_is_not_found_for_visitors(client):
    PoseFactory(slug="soon", published_at=timezone.now() + timezone.timedelta(days=3))
    assert client.get("/poses/soon/").status_code == 404


def test_staff_see_a_draft_with_a_banner(staff_client):
    PoseFactory(slug="secret", status="draft")
    response = staff_client.get("/poses/secret/")
    assert response.status_code == 200
    assert "Draft — not visible to visitors" in response.content.decode()


def test_staff_see_a_scheduled_pose_with_its_date(staff_client):
    when = timezone.now() + timezone.timedelta(days=3)
    PoseFactory(slug="soon", published_at=when)
    html = staff_client.get("/poses/soon/").content.decode()
    assert f"Scheduled for {timezone.localtime(when):%-d %B %Y}" in html


def test_published_pose_has_no_banner_even_for_staff(staff_client):
    PoseFactory(slug="live")
    assert "not visible to visitors" not in staff_client.get("/poses/live/").content.decode()


def test_markup_in_text_is_shown_as_text(client):
    pose = PoseFactory(slug="x", name="<b>Bold</b>", steps=["<script>alert(1)</script> then breathe"])
    pose.tips.create(text="<img src=x onerror=alert(1)>", position=0)
    pose.faqs.create(question="<i>Why?</i>", answer="<script>no</script>", position=0)
    html = client.get("/poses/x/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; then breathe" in html
    assert "<img src=x" not in html and "<b>Bold</b>" not in html and "<i>Why?</i>" not in html


def test_howto_json_ld_lists_the_steps(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    howto = of_type(html, "HowTo")
    assert howto["name"] == "How to do Backbend"
    assert [step["text"] for step in howto["step"]] == [f"Backbend step {n}." for n in range(1, 5)]
    assert {step["@type"] for step in howto["step"]} == {"HowToStep"}
    assert howto["image"].startswith("http://testserver/media/")


def test_faq_json_ld_appears_only_with_questions(client, backbend):
    faq = of_type(client.get("/poses/backbend/").content.decode(), "FAQPage")
    assert [q["name"] for q in faq["mainEntity"]] == [f"Question {n} about Backbend?" for n in (1, 2, 3)]
    assert faq["mainEntity"][0]["acceptedAnswer"]["text"] == "Answer 1."
    PoseFactory(slug="plain")
    assert "FAQPage" not in client.get("/poses/plain/").content.decode()


def test_json_ld_cannot_be_broken_out_of_by_content(client):
    PoseFactory(slug="x", steps=["</script><script>alert(1)</script>"])
    html = client.get("/poses/x/").content.decode()
    assert "<script>alert(1)" not in html
    assert of_type(html, "HowTo")["step"][0]["text"] == "</script><script>alert(1)</script>"


def test_breadcrumbs_lead_home_through_the_category(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    nav = html[html.index('aria-label="Breadcrumb"') :]
    nav = nav[: nav.index("</nav>")]
    assert nav.index(">Home<") < nav.index(">Poses<") < nav.index(">Backbends<") < nav.index("Backbend</span>")
    crumbs = of_type(html, "BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Poses", "Backbends", "Backbend"]
    assert crumbs[-1]["item"] == "http://testserver/poses/backbend/"


def test_canonical_and_open_graph_use_site_url_and_the_main_image(client, backbend, settings):
    settings.SITE_URL = "https://yoga.example.org"
    html = client.get("/poses/backbend/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="https://yoga.example.org/poses/backbend/">' in html
    assert '<meta property="og:url" content="https://yoga.example.org/poses/backbend/">' in html
    assert '<meta property="og:title" content="Backbend">' in html
    assert '<meta property="og:type" content="article">' in html
    image = backbend.main_image
    assert f'<meta property="og:image" content="https://yoga.example.org{image.src}">' in html
    assert '<meta name="description" content="A full arch of the spine, lifted from the hands and feet.">' in html


@pytest.mark.usefixtures("uncached")
def test_pose_page_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    muscles = [MuscleFactory() for _ in range(10)]
    category = CategoryFactory()
    warm_up = complete_pose(steps=5, images=2)
    cool_down = complete_pose(steps=5, images=2)
    big = complete_pose(
        slug="big",
        category=category,
        steps=20,
        images=5,
        primary=muscles[:4],
        secondary=muscles[4:],
        equipment=[EquipmentFactory(), EquipmentFactory()],
        tags=["a", "b", "c"],
        other_names=["One", "Two"],
        tips=6,
        benefits=6,
        mistakes=6,
        faqs=5,
        warm_up=warm_up,
        cool_down=cool_down,
    )
    for n in range(15):
        # Half related (same category), half sharing two primary muscles with other props.
        if n % 2:
            complete_pose(category=category, primary=[muscles[n % 4]], images=1, steps=1)
        else:
            other = complete_pose(primary=muscles[n % 3 : n % 3 + 2], images=1, steps=1)
            other.equipment.add(EquipmentFactory())
    assert PoseStep.objects.filter(pose=big).count() == 20
    # The pose, its muscles, props and tags, 1 for the pictures and 1 for every text part of the pose,
    # its warm-up and its cool-down, 3 for both lists of cards (poses, pictures, props), 1 for the
    # muscles the body map links to; the first time, which poses the cards show: 4 for the poses with
    # other props (their candidates' ids, then visibility, first), 3 for the related poses (the
    # candidates sharing tags and in the category first).
    with django_assert_max_num_queries(17):
        first = client.get("/poses/big/")
    assert first.status_code == 200
    assert first.content.decode().count('class="card"') >= 12
    with django_assert_max_num_queries(10):
        again = client.get("/poses/big/")
    assert again.content == first.content


def test_related_cards_follow_a_change_to_another_pose(client, backbend):
    lower_back, middle_back = backbend.primary_muscles
    html = client.get("/poses/backbend/").content.decode()
    assert "Camel Pose" not in html and "Supported Bridge" not in html
    camel = complete_pose(name="Camel Pose")
    bridge = complete_pose(name="Supported Bridge", equipment=[EquipmentFactory(name="Block")])
    camel.tags.add("heart opener")
    bridge.pose_muscles.create(muscle=lower_back, role="primary")
    bridge.pose_muscles.create(muscle=middle_back, role="primary", position=1)
    html = client.get("/poses/backbend/").content.decode()
    assert "Camel Pose" in html[html.index('id="related"') :]
    assert "Supported Bridge" in html[html.index('id="same-muscles"') : html.index('id="related"')]
    camel.name = "Camel"
    camel.save()
    bridge.equipment.clear()
    bridge.equipment.add(backbend.equipment.get())
    html = client.get("/poses/backbend/").content.decode()
    assert "Camel</a>" in html[html.index('id="related"') :]
    assert "Supported Bridge" not in html


def test_pose_page_query_count_is_the_same_for_a_small_and_a_large_pose(client):
    def measure(size: int) -> int:
        muscles = [MuscleFactory() for _ in range(2)]
        category = CategoryFactory()
        pose = complete_pose(
            category=category,
            steps=size,
            images=min(size, 5),
            primary=muscles[:1],
            secondary=muscles[1:],
            tips=size,
            faqs=size,
            tags=[f"t{n}-{size}" for n in range(size)],
            warm_up=complete_pose(steps=size, images=1),
            cool_down=complete_pose(steps=size, images=1),
        )
        for _ in range(size):
            complete_pose(category=category, primary=muscles[:1], images=1, steps=1, tips=0, faqs=0)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(pose.get_absolute_url()).status_code == 200
        return len(queries)

    # Both with more poses sharing the muscle than "related" shows, so that both ask for the rest.
    assert measure(8) == measure(30)


def test_unknown_pose_is_a_friendly_404(client):
    response = client.get("/poses/no-such-pose/")
    assert response.status_code == 404
    assert "couldn’t find that page" in response.content.decode()


def test_pose_page_with_nothing_but_a_name_still_renders(client):
    pose = PoseFactory(slug="bare", category=None, summary="")
    pose.steps.all().delete()
    html = client.get("/poses/bare/").content.decode()
    assert "<h1" in html and 'id="muscles"' not in html and 'id="faq"' not in html


def test_extra_image_is_shown_in_the_gallery(client):
    pose = PoseFactory(slug="g")
    add_pose_image(pose, position=0, alt="Main view")
    add_pose_image(pose, position=1, alt="Side view")
    html = client.get("/poses/g/").content.decode()
    gallery = html[html.index('class="gallery"') :]
    assert 'alt="Side view"' in gallery and 'alt="Main view"' not in gallery


def test_a_pose_without_props_lists_poses_with_props_for_the_same_muscles(client):
    muscle = MuscleFactory()
    PoseFactory(slug="floor", primary=[muscle])
    complete_pose(name="With A Block", primary=[muscle], equipment=[EquipmentFactory(name="Block")])
    complete_pose(name="Also Floor", primary=[muscle])
    html = client.get("/poses/floor/").content.decode()
    section = html[html.index('id="same-muscles"') :]
    assert "With A Block" in section and "Also Floor" not in section


def test_a_shared_pose_link_shows_a_picture_even_without_one_of_its_own(client):
    complete_pose(slug="bare", images=0)
    markup = client.get("/poses/bare/").content.decode()
    assert re.search(r'<meta property="og:image" content="http[^"]+/img/share\.png">', markup)
    with_picture = complete_pose(slug="pictured", images=1)
    markup = client.get("/poses/pictured/").content.decode()
    og = re.search(r'<meta property="og:image" content="([^"]+)">', markup).group(1)
    assert og.endswith(with_picture.main_image.src)


def test_pose_page_says_who_should_take_care_and_the_usual_hold(client, backbend):
    PoseCaution.objects.create(pose=backbend, position=0, text="Skip it with a recent wrist injury.")
    PoseCaution.objects.create(pose=backbend, position=1, text="Go gently with high blood pressure.")
    backbend.hold_value, backbend.hold_kind, backbend.sides = 5, "breaths", "both"
    backbend.save()
    html = client.get("/poses/backbend/").content.decode()
    cautions = html[html.index('id="cautions"') :]
    cautions = cautions[: cautions.index("</section>")]
    assert "Take care if…" in cautions
    assert cautions.index("recent wrist injury") < cautions.index("high blood pressure")
    assert '<a href="#cautions">Take care</a>' in html
    # Right after the steps: read before trying the pose.
    assert html.index('id="how-to"') < html.index('id="cautions"') < html.index('id="muscles"')
    assert re.search(r"<dt>Usual hold</dt><dd>5 breaths on each side</dd>", html)


def test_pose_page_without_cautions_or_hold_shows_neither(client, backbend):
    html = client.get("/poses/backbend/").content.decode()
    assert 'id="cautions"' not in html and "Usual hold" not in html


def test_pictures_carry_their_credit_and_the_side_they_show(client, backbend):
    image = backbend.main_image
    image.credit, image.side = "Drawing: A. Rao, CC BY 4.0", "right"
    image.save()
    html = client.get("/poses/backbend/").content.decode()
    hero = html[html.index('class="pose-hero__figure"') :]
    hero = hero[: hero.index("</figure>")]
    assert '<small class="credit">Drawing: A. Rao, CC BY 4.0</small>' in hero
    assert "Shows the right side." in hero
