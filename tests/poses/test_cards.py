"""Pose cards are rendered once per process for the values they show, and again when any of them changes."""

import re

import pytest

from poses.models import Pose
from poses.templatetags.cards import card_values, render_card
from tests.factories import CategoryFactory, EquipmentFactory, PoseFactory, add_pose_image

pytestmark = pytest.mark.django_db


def card_of(client, name: str, path: str = "/poses/") -> str:
    html = client.get(path).content.decode()
    cards = re.findall(r'<article class="card">.*?</article>', html, re.S)
    return next(card for card in cards if f">{name}</a>" in card)


def test_a_card_shows_the_pose_its_picture_and_category(client, uncached):
    pose = PoseFactory(name="Low Lunge", sanskrit_name="Anjaneyasana", category=CategoryFactory(name="Lunges"))
    add_pose_image(pose, alt="A person in a low lunge")
    card = card_of(client, "Low Lunge")
    assert f'<a href="/poses/{pose.slug}/">Low Lunge</a>' in card
    assert 'lang="sa-Latn">Anjaneyasana</p>' in card
    assert '<span class="card__category">Lunges</span>' in card
    assert 'alt="A person in a low lunge"' in card and 'width="' in card
    assert f'data-slug="{pose.slug}"' in card and 'action="/practice/build/add/"' in card


def test_the_same_card_is_rendered_once(uncached):
    PoseFactory(name="Low Lunge")
    pose = Pose.objects.published().for_listing().get()
    render_card.cache_clear()
    first = render_card(card_values(pose))
    again = render_card(card_values(Pose.objects.published().for_listing().get()))
    assert again is first
    assert render_card.cache_info().hits == 1


def test_a_card_changes_with_any_value_it_shows(client, uncached):
    category = CategoryFactory(name="Lunges")
    pose = PoseFactory(name="Low Lunge", category=category)
    before = card_of(client, "Low Lunge")
    category.name = "Hip openers"
    category.save()
    assert '<span class="card__category">Hip openers</span>' in card_of(client, "Low Lunge")
    add_pose_image(pose, alt="A person in a low lunge")
    with_picture = card_of(client, "Low Lunge")
    assert 'alt="A person in a low lunge"' in with_picture and "card__placeholder" in before
    pose.name = "Crescent Lunge"
    pose.save()
    assert ">Crescent Lunge</a>" in card_of(client, "Crescent Lunge")


def test_related_cards_name_their_props_and_others_do_not(uncached):
    pose = PoseFactory(name="Low Lunge")
    pose.equipment.add(EquipmentFactory(slug="block", name="Block"))
    listed = Pose.objects.published().for_listing().prefetch_related("equipment").get()
    assert "With Block" in render_card(card_values(listed, show_props=True))
    assert "With Block" not in render_card(card_values(listed))
    bare = PoseFactory(name="Mountain")
    bare = Pose.objects.published().for_listing().prefetch_related("equipment").get(pk=bare.pk)
    assert "Body only, no props" in render_card(card_values(bare, show_props=True))


def test_a_page_of_cards_loads_only_what_they_show_in_two_queries(django_assert_num_queries):
    category = CategoryFactory(name="Lunges")
    for number in range(48):
        pose = PoseFactory(name=f"Lunge {number}", sanskrit_name=f"Āsana {number}", category=category)
        add_pose_image(pose, alt=f"Lunge {number}")
    render_card.cache_clear()

    # The poses with their categories, then their pictures; a card reads nothing more.
    with django_assert_num_queries(2):
        cards = [render_card(card_values(pose)) for pose in Pose.objects.published().for_listing()]

    assert len(cards) == 48
    assert all("Lunges" in card and "Āsana" in card and "<img" in card for card in cards)
    # What no card shows is left in the database.
    assert "summary" in Pose.objects.for_listing().first().get_deferred_fields()
