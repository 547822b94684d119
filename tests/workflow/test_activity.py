"""The activity log: what was published, unpublished, scheduled, reverted, deleted, recovered or imported,
by whom and when, filterable by person, kind and date; read only."""

import pytest
from django.urls import reverse

from tests.factories import complete_pose
from workflow import publishing
from workflow.models import Activity

pytestmark = pytest.mark.django_db


def test_the_log_lists_who_did_what_and_filters_by_person_kind_and_date(editor, contributor, admin_client):
    camel = complete_pose(name="Camel")
    crow = complete_pose(name="Crow")
    publishing.unpublish(obj=camel, user=editor)
    publishing.submit(obj=crow, user=contributor, note="Look")
    url = reverse("admin:workflow_activity_changelist")

    html = admin_client.get(url).content.decode()
    assert "Camel" in html and "Crow" in html and "Unpublished" in html and "Submitted for review" in html

    def listed(**params):
        return [a.object_repr for a in admin_client.get(url, params).context["cl"].result_list]

    assert listed(kind__exact="unpublished") == ["Camel"]
    assert listed(user__id__exact=contributor.pk) == ["Crow"]
    today = Activity.objects.first().when
    assert len(listed(when__year=today.year, when__month=today.month, when__day=today.day)) == 2
    entry = Activity.objects.get(kind="unpublished")
    assert admin_client.get(reverse("admin:workflow_activity_change", args=[entry.pk])).status_code == 200
    assert (
        admin_client.post(reverse("admin:workflow_activity_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )


def test_editors_may_read_the_log_and_contributors_may_not(editor_client, contributor_client):
    url = reverse("admin:workflow_activity_changelist")
    assert editor_client.get(url).status_code == 200
    assert contributor_client.get(url).status_code == 403


def test_the_list_shows_each_status_and_filters_by_it(editor_client, contributor):
    from datetime import timedelta

    from django.utils import timezone

    from poses.models import Status

    live = complete_pose(name="Live one")
    changed = complete_pose(name="Changed one")
    publishing.save_draft(obj=changed, user=contributor, data=[])
    draft = complete_pose(name="Draft one", status=Status.DRAFT, published_at=None)
    scheduled = complete_pose(name="Scheduled one", status=Status.DRAFT, published_at=None)
    publishing.schedule(obj=scheduled, user=None, publish_at=timezone.now() + timedelta(days=1))
    review = complete_pose(name="Review one", status=Status.DRAFT, published_at=None)
    publishing.submit(obj=review, user=contributor)
    gone = complete_pose(name="Gone one", unpublish_at=timezone.now() - timedelta(hours=1))
    url = reverse("admin:poses_pose_changelist")

    html = editor_client.get(url).content.decode()
    for label in ("Live", "Live, with unpublished changes", "Draft", "Scheduled for", "In review", "Unpublished since"):
        assert label in html, label

    def listed(state):
        return {p.name for p in editor_client.get(url, {"state": state}).context["cl"].result_list}

    assert listed("live") == {live.name}
    assert listed("changed") == {changed.name}
    assert listed("draft") == {draft.name}
    assert listed("scheduled") == {scheduled.name}
    assert listed("in_review") == {review.name}
    assert listed("unpublished") == {gone.name}


def test_the_list_takes_a_fixed_number_of_queries(editor_client, contributor, django_assert_max_num_queries):
    for n in range(12):
        pose = complete_pose(name=f"Pose {n}", images=1, steps=1)
        if n % 2:
            publishing.submit(obj=pose, user=contributor)
    with django_assert_max_num_queries(14):
        assert editor_client.get(reverse("admin:poses_pose_changelist")).status_code == 200
