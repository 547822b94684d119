"""The content types the workflow manages. Poses and routines register themselves here with their
own rules, so the workflow never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models

# A rule returns sentences for the editor; an empty list means nothing to say.
Rule = Callable[[models.Model], list[str]]


@dataclass(frozen=True)
class Workflowed:
    model: type[models.Model]
    # Why it cannot be published as it is ("A published pose needs at least one step.").
    publish_errors: list[Rule] = field(default_factory=list)
    # What an editor should know before publishing (e.g. a routine using draft poses).
    publish_warnings: list[Rule] = field(default_factory=list)
    # What an editor should know before it goes off the site (e.g. published routines using a pose).
    unpublish_warnings: list[Rule] = field(default_factory=list)


_registry: dict[type[models.Model], Workflowed] = {}


def register(
    model: type[models.Model],
    *,
    publish_errors: list[Rule] = (),
    publish_warnings: list[Rule] = (),
    unpublish_warnings: list[Rule] = (),
) -> None:
    """Put `model` under the workflow with its checks; registering it again adds checks (routines add
    to poses what a pose's unpublishing means for them)."""
    known = _registry.get(model, Workflowed(model))
    _registry[model] = Workflowed(
        model,
        [*known.publish_errors, *publish_errors],
        [*known.publish_warnings, *publish_warnings],
        [*known.unpublish_warnings, *unpublish_warnings],
    )


def get(model: type[models.Model]) -> Workflowed:
    return _registry.get(model._meta.concrete_model, Workflowed(model))


def models_() -> list[type[models.Model]]:
    return list(_registry)


def _run(rules: list[Rule], obj) -> list[str]:
    return [sentence for rule in rules for sentence in rule(obj)]


def publish_errors(obj) -> list[str]:
    return _run(get(type(obj)).publish_errors, obj)


def publish_warnings(obj) -> list[str]:
    return _run(get(type(obj)).publish_warnings, obj)


def unpublish_warnings(obj) -> list[str]:
    return _run(get(type(obj)).unpublish_warnings, obj)
