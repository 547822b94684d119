"""Who may exchange content documents with other sites from the admin."""


def can_exchange_content(user) -> bool:
    """Import and export are for those who may publish: an import publishes what the document says."""
    return bool(user.is_active and user.is_staff and (user.is_superuser or user.has_perm("poses.publish_pose")))
