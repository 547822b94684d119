"""What the workflow must know about routines before publishing one, and about poses that routines use."""

from poses.models import Pose
from workflow import registry

from .models import Routine, RoutineStep


def _hidden_pose_steps(routine: Routine) -> list[tuple[int, RoutineStep]]:
    steps = list(routine.steps.select_related("pose").order_by("position", "pk"))
    return [(number, step) for number, step in enumerate(steps, 1) if step.pose_id and not step.pose.is_public]


def needs_steps(routine: Routine) -> list[str]:
    if routine.steps.exists():
        return []
    return [f"“{routine.title}” has no steps yet: add at least one before publishing it."]


def hidden_poses_need_titles(routine: Routine) -> list[str]:
    """A step whose pose visitors cannot see shows only its own title, so it must have one."""
    return [
        f"Step {number} uses “{step.pose.name}”, which visitors cannot see yet: give the step its own title "
        "or publish the pose first."
        for number, step in _hidden_pose_steps(routine)
        if not step.title.strip()
    ]


def hidden_poses(routine: Routine) -> list[str]:
    hidden = _hidden_pose_steps(routine)
    if not hidden:
        return []
    where = ", ".join(f"“{step.pose.name}” (step {number})" for number, step in hidden)
    return [
        f"This routine uses poses that visitors cannot see yet: {where}. "
        "Those steps show only their own title and instructions until the poses are published."
    ]


def used_by_published_routines(pose: Pose) -> list[str]:
    routines = Routine.objects.published().filter(steps__pose=pose).distinct().order_by("title")
    titles = [f"“{routine.title}”" for routine in routines]
    if not titles:
        return []
    return [
        f"Published routines use “{pose.name}”: {', '.join(titles)}. Once it is off the site, their steps show "
        "only the step's own title and instructions."
    ]


def register() -> None:
    registry.register(Routine, publish_errors=[needs_steps, hidden_poses_need_titles], publish_warnings=[hidden_poses])
    registry.register(Pose, unpublish_warnings=[used_by_published_routines])
