import math
import re
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from common import caching
from common.caching import cacheable
from common.listing import LenientPaginationMixin, QueryFilterForm
from common.seo import absolute_url
from poses.models import Level
from poses.views import HOME

from . import timing
from .models import Author, AuthorImage, RelatedRoutine, Routine

# Bands on the stored duration, in seconds: (label, more than, at most). A routine of exactly
# 20 minutes is in "10 to 20", one of exactly 10 minutes is not "under 10".
DURATION_BANDS = {
    "under-10": ("Under 10 minutes", None, 599),
    "10-20": ("10 to 20 minutes", 599, 1200),
    "20-40": ("20 to 40 minutes", 1200, 2400),
    "over-40": ("Over 40 minutes", 2400, None),
}
LEVELS = dict(Level.choices)


def routines_crumb():
    return ("Routines", reverse("routines:routine_list"))


def paragraphs(text: str) -> list[str]:
    """Plain text split where the editor left a blank line."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


def span_text(seconds: float) -> str:
    """A hold's length: whole seconds up to two minutes ("90 s"), then minutes."""
    whole = timing.round_seconds(seconds)
    return f"{whole} s" if whole < 120 else timing.format_duration(seconds)


def hold_text(step, breath_seconds) -> str:
    """How long one repetition lasts, as the practitioner reads it: "10 breaths, about 50 s" or "30 s"."""
    seconds = timing.rep_seconds(step, breath_seconds)
    if step.hold_kind != "breaths":
        return span_text(seconds)
    unit = "breath" if step.hold_value == 1 else "breaths"
    return f"{step.hold_value} {unit}, about {span_text(seconds)}"


def sides_text(step) -> str:
    if step.sides != "both":
        return ""
    return f"Both sides, {step.first_side} first"


def stop_line(stop) -> str:
    """A stop named in one line, as "Up next" shows it: "Thread the Needle, left side (30 s)"."""
    side = f", {stop.side_label.lower()}" if stop.side_label else ""
    return f"{stop.title}{side} ({stop.step.hold_text})"


def hide_non_public_poses(steps):
    """The one place a routine's pages decide which poses they may show: a pose that visitors cannot see
    (draft, scheduled, unpublished) is taken off its steps, for every viewer, so that no page, stop,
    script data or JSON-LD built from the steps can show its name, picture or link. Such a step shows
    only its own title and instructions. `step.public_pose` is the pose the pages may show."""
    for step in steps:
        if step.pose_id and not step.pose.is_public:
            step.pose = None
            step.title = step.title or "Pose"
        step.public_pose = step.pose
    return steps


def decorate(routine, steps):
    """Attach what the pages print for each step (hold, sides, time, paragraphs) to the loaded steps."""
    hide_non_public_poses(steps)
    for step in steps:
        step.routine = routine  # already loaded: spares a query per step
        step.hold_text = hold_text(step, routine.breath_seconds)
        step.sides_text = sides_text(step)
        step.seconds = timing.step_seconds(step, routine.breath_seconds)
        step.time_text = span_text(step.seconds)
        step.paragraphs = paragraphs(step.instructions)
        step.image = step.pose.main_image if step.pose_id else None
    total = sum(step.seconds for step in steps) or 1
    elapsed = 0.0
    for step in steps:
        # Plain decimal strings (SVG coordinates out of 1000), whatever the locale would print.
        step.bar_x = f"{1000 * elapsed / total:.2f}"
        step.bar_width = f"{1000 * step.seconds / total:.2f}"
        elapsed += step.seconds
    return steps


def props_of(steps) -> list:
    """The props the routine's poses need, each once, in the order they first appear."""
    seen = {}
    for step in steps:
        if step.pose_id:
            for item in step.pose.equipment.all():
                seen.setdefault(item.pk, item)
    return list(seen.values())


# --- The list ------------------------------------------------------------------------------------


def tag_choices() -> list[tuple[str, str]]:
    """(slug, name) of the tags of published routines, for the list's filter."""
    tags = Tag.objects.filter(routine__in=Routine.objects.published()).distinct().order_by("name")
    return list(tags.values_list("slug", "name"))


class RoutineFilterForm(QueryFilterForm):
    """The list's filters, read from the query string. A value it does not know is dropped."""

    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level"), *Level.choices])
    duration = forms.ChoiceField(
        label="Length",
        required=False,
        choices=[("", "Any length"), *((key, band[0]) for key, band in DURATION_BANDS.items())],
    )
    tag = forms.ChoiceField(label="Tag", required=False)

    def set_choices(self):
        self.fields["tag"].choices = [
            ("", "Any tag"),
            *caching.remember("routine-tags", ("list:routines",), tag_choices),
        ]

    def apply(self, routines):
        values = self.values
        if "level" in values:
            routines = routines.filter(level=values["level"])
        if "duration" in values:
            _, above, at_most = DURATION_BANDS[values["duration"]]
            if above is not None:
                routines = routines.filter(duration_seconds__gt=above)
            if at_most is not None:
                routines = routines.filter(duration_seconds__lte=at_most)
        if "tag" in values:
            routines = routines.filter(tags__slug=values["tag"])
        return routines

    def active(self) -> list[dict]:
        """The filters in force with a query string that removes each."""
        values = self.values
        return [
            {
                "label": self.fields[name].label,
                "value": dict(self.fields[name].choices)[value],
                "remove": self.query_without(name),
            }
            for name, value in values.items()
        ]


@cacheable("list:routines")
class RoutineListView(LenientPaginationMixin, ListView):
    template_name = "routines/routine_list.html"
    context_object_name = "routines"
    paginate_by = 24

    def get_queryset(self):
        self.filters = RoutineFilterForm(self.request.GET)
        return self.filters.apply(Routine.objects.published().for_listing()).order_by("title", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filters=self.filters,
            canonical_path=reverse("routines:routine_list"),
            breadcrumbs=[HOME, ("Routines", None)],
            **kwargs,
        )


# --- A routine -----------------------------------------------------------------------------------


@cacheable()
class RoutineDetailView(DetailView):
    template_name = "routines/routine_detail.html"

    def get_queryset(self):
        return Routine.objects.visible_to(self.request.user).for_detail().select_related("author__image")

    def get_context_data(self, **kwargs):
        routine = self.object
        steps = decorate(routine, list(routine.steps.all()))
        return super().get_context_data(
            steps=steps,
            sections=timing.sections(steps),
            props=props_of(steps),
            **self.extra_context_for(steps),
            **kwargs,
        )

    def extra_context_for(self, steps) -> dict:
        routine = self.object
        return {
            "related": related_routines(routine),
            "reading_minutes": reading_minutes(routine, steps),
            "article": article_jsonld(self.request, routine),
            "main_image": routine.main_image,
            # A shared link shows the routine's picture, else the first pose's.
            "og_image": routine.main_image or next((step.image for step in steps if step.image), None),
            "tags": list(routine.tags.all()),
            "breadcrumbs": [HOME, routines_crumb(), (routine.title, None)],
            "howto": howto_jsonld(self.request, routine, steps),
        }


class RoutineCheatSheetView(RoutineDetailView):
    """The routine on one printable page: the same steps as the routine page, told briefly."""

    template_name = "routines/routine_cheatsheet.html"

    def extra_context_for(self, steps) -> dict:
        routine = self.object
        return {
            "breadcrumbs": [HOME, routines_crumb(), (routine.title, routine.get_absolute_url()), ("Cheat sheet", None)]
        }


WORDS_PER_MINUTE = 200


def reading_minutes(routine, steps) -> int:
    """How long the article takes to read: introduction, safety note, steps and variations, at an
    unhurried 200 words a minute; at least a minute."""
    texts = [routine.summary, routine.body, routine.safety_note]
    for step in steps:
        texts.append(step.display_title)
        texts.append(step.instructions)
        texts.extend(variation.instructions for variation in step.variations.all())
    words = sum(len(text.split()) for text in texts if text)
    return max(1, round(words / WORDS_PER_MINUTE))


def related_routines(routine, *, limit: int = 3) -> list:
    """Routines to go on to: the editor's choice first, in the editor's order, then those that share the
    most tags and poses with this one. Only what visitors may see."""
    published = Routine.objects.published()
    chosen = list(
        RelatedRoutine.objects.filter(routine=routine, related__in=published)
        .order_by("position", "pk")
        .values_list("related_id", flat=True)[:limit]
    )
    similar = []
    if len(chosen) < limit:
        similar = list(
            published.related_to(routine, exclude=chosen, limit=limit - len(chosen)).values_list("pk", flat=True)
        )
    order = chosen + similar
    cards = {item.pk: item for item in published.for_listing().filter(pk__in=order)} if order else {}
    return [cards[pk] for pk in order if pk in cards]


def article_jsonld(request, routine) -> dict:
    """schema.org Article for the routine as a piece of writing: headline, dates, picture."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": routine.title,
        "mainEntityOfPage": absolute_url(request, routine.get_absolute_url()),
        "dateModified": routine.updated_at,
    }
    if routine.published_at:
        data["datePublished"] = routine.published_at
    if routine.summary:
        data["description"] = routine.summary
    if routine.main_image:
        data["image"] = absolute_url(request, routine.main_image.src)
    if routine.author:
        data["author"] = {
            "@type": "Person",
            "name": routine.author.name,
            "url": absolute_url(request, routine.author.get_absolute_url()),
        }
    return data


def howto_jsonld(request, routine, steps) -> dict:
    page = absolute_url(request, routine.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": routine.title,
        "url": page,
        "totalTime": timing.iso_duration(routine.duration_seconds),
        "step": [],
    }
    if routine.summary:
        data["description"] = routine.summary
    if routine.main_image:
        data["image"] = absolute_url(request, routine.main_image.src)
    for step in steps:
        item = {
            "@type": "HowToStep",
            "position": step.number,
            "name": step.display_title,
            "text": " ".join(step.paragraphs) or f"{step.display_title}: {step.hold_text}.",
            "url": f"{page}#step-{step.number}",
        }
        if step.image:
            item["image"] = absolute_url(request, step.image.src)
        data["step"].append(item)
    return data


# --- The player ----------------------------------------------------------------------------------


def _player_routine(request, slug):
    routine = get_object_or_404(Routine.objects.visible_to(request.user).for_player(), slug=slug)
    steps = decorate(routine, list(routine.steps.all()))
    return routine, steps, timing.expand_stops(routine, steps)


def _level(request, routine) -> str:
    asked = request.GET.get("level", "")
    return asked if asked in LEVELS else routine.level


def _with_level(url: str, request) -> str:
    """Keep the level the practitioner chose in the links they follow."""
    asked = request.GET.get("level", "")
    return f"{url}?{urlencode({'level': asked})}" if asked in LEVELS else url


@require_safe
def player_start(request, slug):
    routine, steps, stops = _player_routine(request, slug)
    if not stops:
        raise Http404("This routine has no steps yet.")
    return redirect(_with_level(reverse("routines:player_stop", args=[slug, 1]), request))


PLAYER_IMAGE_SIZES = "(orientation: landscape) 50vw, 100vw"


def is_mirrored(image, side: str | None) -> bool:
    """A picture that shows one side is flipped for a stop on the other; a picture that says no side never is."""
    shown = getattr(image, "side", "") if image else ""
    return bool(side and shown and shown != side)


def step_line(stop, total_steps: int) -> str:
    """Where the stop is in the routine, by the numbering the routine page uses: "Step 10 of 25"."""
    return f"Step {stop.step_number} of {total_steps}"


def stop_data(stop) -> dict:
    """One stop for the player's script: what it shows and how long it lasts."""
    step = stop.step
    image = step.image
    return {
        "step": stop.step_number,
        "title": stop.title,
        "sanskrit": step.pose.sanskrit_name if step.pose_id else "",
        "side": stop.side_label,
        "section": stop.section_title,
        "img": image
        and {
            "srcset": image.srcset,
            "sizes": PLAYER_IMAGE_SIZES,
            "src": image.src,
            "alt": image.alt,
            "width": image.width,
            "height": image.height,
            "mirror": is_mirrored(image, stop.side),
        },
        "text": stop_paragraphs(step),
        "vars": {v.level: paragraphs(v.instructions) for v in step.variations.all()},
        "kind": step.hold_kind,
        "hold": step.hold_value,
        "reps": stop.repetitions,
        "manual": step.advance == "manual",
    }


def progress_segments(stops) -> list[dict]:
    """The progress bar: one segment per step, as long as the step takes (its stops and their transitions)."""
    segments: dict[int, dict] = {}
    for stop in stops:
        first = {"number": stop.step_number, "x": stop.elapsed_before, "width": 0}
        segments.setdefault(stop.step_number, first)["width"] += stop.ready_seconds + stop.seconds
    return [{**s, "x": f"{s['x']:.1f}", "width": f"{s['width']:.1f}"} for s in segments.values()]


def stop_paragraphs(step) -> list[str]:
    if step.paragraphs:
        return step.paragraphs
    return [step.pose.summary] if step.pose_id and step.pose.summary else []


@require_safe
@cacheable()
def player_stop(request, slug, number):
    routine, _, stops = _player_routine(request, slug)
    return render_player_stop(
        request,
        routine,
        stops,
        number,
        base=reverse("routines:player_start", args=[slug]),
        finish_url=reverse("routines:player_finish", args=[slug]),
        breadcrumbs=[HOME, routines_crumb(), (routine.title, routine.get_absolute_url()), ("Practice", None)],
    )


def render_player_stop(request, routine, stops, number, *, base, finish_url, breadcrumbs):
    """The player at stop `number` of `stops` (from `timing.expand_stops` over decorated steps). Stop n lives
    at `{base}{n}/`; the routine need not be stored, as long as it answers get_absolute_url."""
    if not 1 <= number <= len(stops):
        raise Http404("No such stop in this routine.")
    stop = stops[number - 1]
    level = _level(request, routine)
    previous_url = f"{base}{number - 1}/" if number > 1 else None
    next_url = f"{base}{number + 1}/" if not stop.is_last else finish_url
    total_seconds = stops[0].remaining
    steps_total = max(s.step_number for s in stops)
    data = {
        "slug": routine.slug,
        "title": routine.title,
        "url": routine.get_absolute_url(),
        "base": base,
        "finish": finish_url,
        "breath": float(routine.breath_seconds),
        "transition": stop.ready_seconds,
        "level": routine.level,
        "levels": LEVELS,
        "start": number,
        "steps": steps_total,
        "site": settings.SITE_NAME,
        "stops": [stop_data(s) for s in stops],
    }
    variation = stop.step.variation_for(level)
    image = stop.step.image
    context = {
        "routine": routine,
        "stop": stop,
        "total": len(stops),
        "step_line": step_line(stop, steps_total),
        "hold": stop.step.hold_text,
        "hold_clock": clock_text(stop.rep_seconds),
        "paragraphs": stop_paragraphs(stop.step),
        "image": image,
        "mirrored": is_mirrored(image, stop.side),
        "image_sizes": PLAYER_IMAGE_SIZES,
        "time_left": timing.format_duration(stop.remaining),
        "total_seconds": f"{total_seconds:.1f}",
        "done_seconds": f"{stop.elapsed_before:.1f}",
        "done_percent": round(100 * stop.elapsed_before / total_seconds) if total_seconds else 0,
        "segments": progress_segments(stops),
        "next_stop": stops[number] if not stop.is_last else None,
        "next_line": stop_line(stops[number]) if not stop.is_last else "",
        "level": level,
        "level_name": LEVELS[level],
        "variation": paragraphs(variation.instructions) if variation else [],
        "levels": [(value, name, f"{base}{number}/?level={value}") for value, name in LEVELS.items()],
        "previous_url": _with_level(previous_url, request) if previous_url else routine.get_absolute_url(),
        "next_url": _with_level(next_url, request),
        "player_data": data,
        "canonical_path": routine.get_absolute_url(),
        "breadcrumbs": breadcrumbs,
    }
    return render(request, "routines/player.html", context)


def clock_text(seconds: float) -> str:
    """A hold as the player's clock shows it: "0:30", "5:00"."""
    whole = math.ceil(seconds - 1e-9)
    return f"{whole // 60}:{whole % 60:02d}"


@require_safe
@cacheable()
def player_finish(request, slug):
    routine = get_object_or_404(Routine.objects.visible_to(request.user), slug=slug)
    context = {
        "routine": routine,
        "restart_url": _with_level(reverse("routines:player_stop", args=[slug, 1]), request),
        "canonical_path": routine.get_absolute_url(),
        "breadcrumbs": [HOME, routines_crumb(), (routine.title, routine.get_absolute_url()), ("Finished", None)],
    }
    return render(request, "routines/player_finish.html", context)


# The files the player needs besides its pages and pictures, saved with a routine for offline use.
PLAYER_ASSETS = [
    "css/site.css",
    "css/player.css",
    "css/print.css",
    "js/player.js",
    "js/cues.js",
    "js/practice-view.js",
    "js/record.js",
    "js/favourites.js",
    "js/offline.js",
    "js/sw-register.js",
    "icons/icon.svg",
    "fonts/timer-digits.woff2",
]


def _image_urls(image) -> list[str]:
    urls = [image.src, image.thumbnail_url]
    urls += [candidate.strip().split(" ")[0] for candidate in image.srcset.split(",") if candidate.strip()]
    return urls


@require_safe
def player_offline(request, slug):
    """What "Save for offline" stores for a routine: its page, cheat sheet, every player stop, the
    finish screen, the pictures they show and the files the player runs on."""
    routine, steps, stops = _player_routine(request, slug)
    urls = [
        routine.get_absolute_url(),
        reverse("routines:routine_cheatsheet", args=[slug]),
        *(reverse("routines:player_stop", args=[slug, stop.number]) for stop in stops),
        reverse("routines:player_finish", args=[slug]),
        *(static(asset) for asset in PLAYER_ASSETS),
    ]
    images = [step.image for step in steps if step.image]
    if routine.main_image:
        images.append(routine.main_image)
    for image in images:
        urls += _image_urls(image)
    unique = list(dict.fromkeys(url for url in urls if url))
    return JsonResponse(
        {"slug": routine.slug, "title": routine.title, "url": routine.get_absolute_url(), "urls": unique}
    )


class AuthorDetailView(DetailView):
    """An author's byline page: portrait, bio and the routines they wrote that visitors may see."""

    template_name = "routines/author_detail.html"
    context_object_name = "author"

    def get_queryset(self):
        return Author.objects.prefetch_related(models.Prefetch("image", queryset=AuthorImage.objects.all()))

    def get_context_data(self, **kwargs):
        author = self.object
        routines = list(Routine.objects.published().filter(author=author).for_listing().order_by("title"))
        return super().get_context_data(
            routines=routines,
            breadcrumbs=[HOME, routines_crumb(), (author.name, None)],
            **kwargs,
        )
