"""Who may do what: the three roles (groups) and the right to publish.

Contributor: creates poses and routines, edits drafts (of new and of live content), submits them for
review; cannot publish, unpublish, schedule or delete. Editor: everything about content, including
publishing and approving. Site admin: an Editor who also manages users and groups.

Ask `can_publish(user, model)` / `can_publish_obj(user, obj)` rather than checking permissions by
hand: the admin, the list actions, History and the import all do.
"""

from django.db import models

CONTRIBUTOR, EDITOR, SITE_ADMIN = "Contributor", "Editor", "Site admin"
ROLES = (CONTRIBUTOR, EDITOR, SITE_ADMIN)

# Actions on a whole (pose, routine) per role; the parts (steps, images, …) follow the whole.
CONTENT_ACTIONS = {
    CONTRIBUTOR: ("add", "change", "view"),
    EDITOR: ("add", "change", "delete", "view", "publish"),
    SITE_ADMIN: ("add", "change", "delete", "view", "publish"),
}
# Reference lists (muscles, props, categories): contributors pick from them, editors keep them.
REFERENCE_ACTIONS = {
    CONTRIBUTOR: ("view",),
    EDITOR: ("add", "change", "delete", "view"),
    SITE_ADMIN: ("add", "change", "delete", "view"),
}


def publish_codename(model) -> str:
    return f"publish_{model._meta.model_name}"


def can_publish(user, model: type[models.Model]) -> bool:
    """May `user` publish, unpublish and schedule `model` (a pose, a routine)?"""
    if user is None or not user.is_active:
        return False
    return user.has_perm(f"{model._meta.app_label}.{publish_codename(model)}")


def can_publish_obj(user, obj: models.Model) -> bool:
    """May `user` publish, unpublish and schedule this very object?"""
    return can_publish(user, type(obj))


def grant(apps, *, role_actions: dict, app_label: str, model_names: list[str]) -> None:
    """For data migrations: give each role its actions on the named models of `app_label`. Creates
    the roles and the permissions if they do not exist yet (permissions are normally made only after
    every migration has run)."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    app_config.models_module = getattr(app_config, "models_module", None) or True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, actions in role_actions.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [f"{action}_{name}" for name in model_names for action in actions]
        group.permissions.add(*Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames))
