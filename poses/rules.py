"""What the workflow must know about poses before publishing one."""

from workflow import registry

from .models import Pose


def needs_steps(pose: Pose) -> list[str]:
    if pose.steps.exists():
        return []
    return [f"“{pose.name}” has no steps yet: add at least one before publishing it."]


def register() -> None:
    registry.register(Pose, publish_errors=[needs_steps])
