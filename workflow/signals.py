"""Sent by the publishing services (workflow.publishing) after the change is committed, so that what
depends on public content (a page cache, a search index) is told in one place. Each sends `instance`
(the pose or routine) and `user` (None for the scheduled job)."""

from django.dispatch import Signal

content_published = Signal()
content_unpublished = Signal()
content_scheduled = Signal()
draft_discarded = Signal()
draft_submitted = Signal()
draft_sent_back = Signal()
