"""A practice built by hand: the builder page, its forms, and the same player and cheat sheet as any routine.

The practice lives in its address (practice/sequence.py). With a script, the builder page changes it in the
browser and rewrites the address; without one, each form posts the sequence back and is redirected (303) to
the new address. Nothing is stored on the server. "Add to my practice" on a pose page posts to `build/add/`
without a script; the sequence it adds to is then kept in a cookie that only the builder's addresses receive,
so the cached pose pages and lists stay the same for everyone. The scripts keep that cookie in step with the
copy they keep in the browser.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from poses.models import Level, Pose
from poses.views import HOME
from routines import timing
from routines.models import HOLD_MAX, HOLD_MIN
from routines.views import decorate, props_of, render_player_stop

from . import generator, library, offline, sequence

COOKIE = "practice_build"
COOKIE_PATH = "/practice/build/"
COOKIE_AGE = 365 * 24 * 3600
MAX_RESULTS = 12
LEVEL_RANK = {value: rank for rank, value in enumerate(Level.values)}
SIDE_CHOICES = [
    ("right", "Both sides, right first"),
    ("left", "Both sides, left first"),
    ("once", "Once, one side only"),
]


class SeeOther(HttpResponseRedirect):
    status_code = 303


def builder_url(code: str, **extra) -> str:
    query = {"s": code, **extra} if code else extra
    return reverse("practice:build") + (f"?{urlencode(query, safe='.~')}" if query else "")


def build_crumb(code: str = ""):
    return ("A practice of your own", builder_url(code))


def title_of(steps) -> str:
    names = [step.pose.name for step in steps]
    if not names:
        return "A practice of your own"
    if len(names) == 1:
        return f"A practice: {names[0]}"
    if len(names) == 2:
        return f"A practice: {names[0]} and {names[1]}"
    return f"A practice: {names[0]}, {names[1]} and {len(names) - 2} more"


def slug_of(code: str) -> str:
    """A short name for the practice where the browser keeps things under one (saved for offline, where the
    player stopped): FNV-1a of the code, which builder.js computes the same way."""
    value = 0x811C9DC5
    for byte in code.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"built-{value:08x}"


def built_routine(steps: list[sequence.Step], code: str):
    """The built practice as an unsaved routine with decorated steps, like a generated one."""
    level = max((step.pose.level for step in steps), key=lambda value: LEVEL_RANK.get(value, 0), default="beginner")
    routine, routine_steps = library.in_memory_routine(
        title=title_of(steps),
        level=level,
        planned=steps,
        url=builder_url(code),
        slug=slug_of(code),
    )
    return routine, decorate(routine, routine_steps)


def cautions_with_poses(steps) -> list[tuple[str, str, str]]:
    """The practice's cautions once each, as `library.cautions_of` lists them, with the slugs of every pose
    that has it: the builder's script hides a caution when none of its poses is left."""
    slugs: dict[str, list[str]] = {}
    for step in steps:
        for caution in step.pose.cautions.all():
            slugs.setdefault(caution.text.strip(), []).append(step.pose.slug)
    return [(name, text, " ".join(dict.fromkeys(slugs[text]))) for name, text in library.cautions_of(steps)]


def _cookie_code(request) -> str:
    """The sequence the no-script "Add to my practice" keeps: only ever a valid, canonical code."""
    try:
        return sequence.read(request.COOKIES.get(COOKIE, "")).code
    except sequence.Unreadable:
        return ""


def _remember(response, code: str):
    if code:
        response.set_cookie(COOKIE, code, max_age=COOKIE_AGE, path=COOKIE_PATH, samesite="Lax")
    else:
        response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")
    return response


def search_results(query: str) -> list[Pose]:
    """Published poses whose names match `query`, best first, for the builder's "Add a pose"."""
    query = query.strip()[:100]
    if not query:
        return []
    ranked = Pose.objects.published().search(query)
    return list(ranked[:MAX_RESULTS])


@require_safe
@never_cache
def build(request):
    """The builder. Its address holds the practice; with no address, the one kept from an earlier visit."""
    if "s" not in request.GET and not request.GET.get("find"):
        kept = _cookie_code(request)
        if kept:
            return redirect(builder_url(kept))
    context = {
        "breadcrumbs": [HOME, ("A practice of your own", None)],
        "canonical_path": reverse("practice:build"),
        "hold_min": HOLD_MIN,
        "hold_max": HOLD_MAX,
        "max_rounds": sequence.MAX_ROUNDS,
        "max_steps": sequence.MAX_STEPS,
        "side_choices": SIDE_CHOICES,
        "breath_seconds": generator.BREATH_SECONDS,
        "transition_seconds": generator.TRANSITION_SECONDS,
        "find": request.GET.get("find", "").strip()[:100],
    }
    try:
        resolved = sequence.read(request.GET.get("s"))
    except sequence.Unreadable as error:
        context.update(error=str(error), code="", steps=[], routine=None)
        return render(request, "practice/build.html", context, status=400)
    code = resolved.code
    routine, steps = built_routine(resolved.steps, code)
    for step, built in zip(steps, resolved.steps, strict=True):
        step.built = built
    context.update(
        code=code,
        routine=routine,
        steps=steps,
        left_out=resolved.left_out,
        unreadable=resolved.unreadable,
        cautions=cautions_with_poses(steps),
        props=props_of(steps),
        results=search_results(context["find"]) if context["find"] else None,
        full=len(steps) >= sequence.MAX_STEPS,
    )
    return _remember(render(request, "practice/build.html", context), code)


def _posted(request) -> sequence.Resolved:
    try:
        return sequence.read(request.POST.get("s", ""))
    except sequence.Unreadable:
        return sequence.Resolved([])


def _number(value, low: int, high: int, fallback: int) -> int:
    try:
        return min(high, max(low, int(value)))
    except (TypeError, ValueError):
        return fallback


def _apply(step: sequence.Step, data) -> None:
    """A step's hold, sides and rounds as the form gives them; a value out of range is brought into it."""
    if data.get("unit") in sequence.UNIT_CODES:
        step.hold_kind = data["unit"]
    step.hold_value = _number(data.get("hold"), HOLD_MIN, HOLD_MAX, step.hold_value)
    step.rounds = _number(data.get("rounds"), 1, sequence.MAX_ROUNDS, step.rounds)
    if step.can_have_sides and data.get("sides") in ("right", "left", "once"):
        step.sides = data["sides"]


def _to(steps, anchor: int | None = None, **extra):
    code = sequence.encode([step.raw() for step in steps])
    url = builder_url(code, **extra)
    if anchor is not None and steps:
        url += f"#step-{anchor}"
    return _remember(SeeOther(url), code)


# The builder's forms change nothing on the server: each turns the sequence it posts (or the builder's own
# cookie) into a new address. A forged post could at most change that address, so they take no CSRF token,
# which also keeps the cached pose pages the same for every visitor.
@csrf_exempt
@require_POST
@never_cache
def build_change(request):
    """One step changed (hold, sides, rounds), moved up or down, or removed; then back to the new address."""
    steps = _posted(request).steps
    index = _number(request.POST.get("index"), -1, len(steps), -1)
    if not 0 <= index < len(steps):
        return _to(steps)
    step = steps[index]
    _apply(step, request.POST)
    operation = request.POST.get("op", "apply")
    if operation == "remove":
        del steps[index]
        return _to(steps, min(index + 1, len(steps)))
    if operation == "up" and index > 0:
        steps[index - 1], steps[index] = steps[index], steps[index - 1]
        index -= 1
    elif operation == "down" and index < len(steps) - 1:
        steps[index + 1], steps[index] = steps[index], steps[index + 1]
        index += 1
    return _to(steps, index + 1)


@csrf_exempt
@require_POST
@never_cache
def build_add(request):
    """A pose added at the end: by its slug (the button on pose pages and cards, the builder's search results)
    or by its name (the builder's "Add a pose" field; when no single pose is called so, the matches are
    shown to choose from). A pose page's button posts no sequence: the one kept in the cookie is used."""
    if "s" in request.POST:
        steps = _posted(request).steps
    else:
        steps = sequence.read(_cookie_code(request)).steps
    words = (request.POST.get("pose") or request.POST.get("q") or "").strip()[:100]
    if len(steps) >= sequence.MAX_STEPS:
        return _to(steps, full="1")
    pose = None
    if words:
        pose = Pose.objects.published().filter(slug=words.lower()).first()
        if pose is None and "q" in request.POST:
            pose = Pose.objects.published().filter(name__iexact=words).first()
    if pose is None:
        return _to(steps, find=words) if words else _to(steps)
    steps.append(sequence.new_step(pose))
    return _to(steps, len(steps))


def _readable_or_404(code: str) -> tuple[sequence.Resolved, str]:
    try:
        resolved = sequence.read(code)
    except sequence.Unreadable as error:
        raise Http404(str(error)) from None
    if not resolved.steps:
        raise Http404("This address holds no pose the library has.")
    return resolved, resolved.code


@require_safe
def build_cheatsheet(request):
    """The built practice on one printable page, like a routine's cheat sheet."""
    resolved, code = _readable_or_404(request.GET.get("s"))
    routine, steps = built_routine(resolved.steps, code)
    context = {
        "routine": routine,
        "steps": steps,
        "sections": timing.sections(steps),
        "props": props_of(steps),
        "breadcrumbs": [HOME, build_crumb(code), ("Cheat sheet", None)],
    }
    return render(request, "practice/cheatsheet.html", context)


def _played(code: str):
    resolved, canonical = _readable_or_404(code)
    routine, steps = built_routine(resolved.steps, canonical)
    changed = bool(resolved.left_out or resolved.unreadable)
    return canonical, changed, routine, timing.expand_stops(routine, steps)


@require_safe
def build_play_start(request, code):
    return redirect(reverse("practice:build_play", args=[code, 1]))


@require_safe
def build_play(request, code, number):
    """The routine player, walking through the practice the address holds."""
    canonical, changed, routine, stops = _played(code)
    if canonical != code:
        # One address per practice. Poses left out of the link change the stops' numbers: start again then.
        return redirect(reverse("practice:build_play", args=[canonical, 1 if changed else number]))
    return render_player_stop(
        request,
        routine,
        stops,
        number,
        base=reverse("practice:build_play_start", args=[code]),
        finish_url=reverse("practice:build_play_finish", args=[code]),
        breadcrumbs=[HOME, build_crumb(code), ("Practice", None)],
    )


@require_safe
def build_offline(request, code):
    """What "Save for offline" stores for a built practice: the builder page with it, its cheat sheet, every
    player stop, the finish screen, the pictures and the player's files."""
    canonical, _, routine, stops = _played(code)
    return offline.manifest_response(
        routine,
        [stop.step for stop in stops],
        stops,
        cheatsheet_url=f"{reverse('practice:build_cheatsheet')}?s={canonical}",
        play_base=reverse("practice:build_play_start", args=[canonical]),
        finish_url=reverse("practice:build_play_finish", args=[canonical]),
    )


@require_safe
def build_play_finish(request, code):
    canonical, _, routine, _ = _played(code)
    context = {
        "routine": routine,
        "restart_url": reverse("practice:build_play", args=[canonical, 1]),
        "canonical_path": reverse("practice:build"),
        "breadcrumbs": [HOME, build_crumb(canonical), ("Finished", None)],
    }
    return render(request, "routines/player_finish.html", context)
