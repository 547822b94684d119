"""Each publishing action sends its signal once its change is committed, so that a page cache or a search
index can follow in one place."""

import pytest
from django.test import TestCase

from poses.models import Status
from tests.factories import complete_pose
from workflow import publishing, signals

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    calls = []

    def receiver(signal, sender, instance, user, **kwargs):
        calls.append((signal, instance.pk, user))

    names = ["content_published", "content_unpublished", "content_scheduled", "draft_discarded", "draft_submitted"]
    for name in names:
        getattr(signals, name).connect(receiver, weak=False)
    yield calls
    for name in names:
        getattr(signals, name).disconnect(receiver)


def test_signals_follow_the_commit(received, editor):
    from datetime import timedelta

    from django.utils import timezone

    pose = complete_pose(status=Status.DRAFT, published_at=None)
    with TestCase.captureOnCommitCallbacks(execute=False) as pending:
        publishing.publish(obj=pose, user=editor)
    assert received == []
    for callback in pending:
        callback()
    assert received == [(signals.content_published, pose.pk, editor)]

    received.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        publishing.submit(obj=pose, user=editor)
        publishing.discard_draft(obj=pose, user=editor)
        publishing.schedule(obj=pose, user=editor, unpublish_at=timezone.now() + timedelta(days=1))
        publishing.unpublish(obj=pose, user=editor)
    assert [signal for signal, _, _ in received] == [
        signals.draft_submitted,
        signals.draft_discarded,
        signals.content_scheduled,
        signals.content_unpublished,
    ]
