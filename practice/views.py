import random

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from poses.views import HOME
from routines import timing
from routines.views import decorate, props_of, render_player_stop

from . import forms, generator, library, offline, services


def practice_crumb():
    return ("A practice made to measure", reverse("practice:new"))


def _make(data):
    """The form bound to `data`, and the practice it asks for (a Practice, a Cannot, or None when the form
    has errors)."""
    form = forms.PracticeForm(forms.normalised(data))
    if not form.is_valid():
        return form, None
    return form, generator.generate(library.published_records(), form.request())


def _routine(practice: generator.Practice):
    query = forms.query_string(practice.request)
    routine, steps = library.in_memory_routine(
        title=library.title_for(practice.request),
        level=practice.request.level,
        planned=list(practice.steps),
        url=f"{reverse('practice:new')}?{query}",
        slug=f"practice-{forms.token(practice.request)}",
    )
    return routine, decorate(routine, steps)


@require_safe
def practice_new(request):
    """The form; with parameters, the practice they make (a seed is added to the address when missing)."""
    context = {"breadcrumbs": [HOME, ("A practice made to measure", None)]}
    if not request.GET:
        context["form"] = forms.PracticeForm()
        return render(request, "practice/new.html", context)
    if not request.GET.get("seed"):
        query = forms.normalised(request.GET)
        query["seed"] = str(random.randrange(1, 1_000_000))
        form = forms.PracticeForm(query)
        if form.is_valid():
            return redirect(f"{reverse('practice:new')}?{forms.query_string(form.request())}")
    form, practice = _make(request.GET)
    context["form"] = form
    if practice is None:
        return render(request, "practice/new.html", context, status=400)
    if isinstance(practice, generator.Cannot):
        context["cannot"] = practice
        return render(request, "practice/new.html", context)
    routine, steps = _routine(practice)
    query = forms.query_string(practice.request)
    # The next seed follows from this one, so "Another one" is a plain link that a cache can keep.
    next_seed = (practice.request.seed * 7919 + 13) % 999_983
    next_request = generator.Request(**{**practice.request.__dict__, "seed": next_seed})
    context.update(
        routine=routine,
        steps=steps,
        sections=timing.sections(steps),
        props=props_of(steps),
        cautions=library.cautions_of(steps),
        query=query,
        token=forms.token(practice.request),
        save_fields=list(forms.normalised_pairs(query)),
        another_url=f"{reverse('practice:new')}?{forms.query_string(next_request)}",
        breadcrumbs=[HOME, practice_crumb(), (routine.title, None)],
    )
    return render(request, "practice/practice.html", context)


def _practice_or_404(data):
    form, practice = _make(data)
    if not isinstance(practice, generator.Practice):
        raise Http404("This address does not make a practice.")
    return practice


@require_safe
def practice_cheatsheet(request):
    """The practice on one printable page, like a routine's cheat sheet."""
    practice = _practice_or_404(request.GET)
    routine, steps = _routine(practice)
    context = {
        "routine": routine,
        "steps": steps,
        "sections": timing.sections(steps),
        "props": props_of(steps),
        "breadcrumbs": [HOME, practice_crumb(), (routine.title, routine.get_absolute_url()), ("Cheat sheet", None)],
    }
    return render(request, "practice/cheatsheet.html", context)


def _played(token):
    practice = _practice_or_404(forms.from_token(token))
    routine, steps = _routine(practice)
    return routine, timing.expand_stops(routine, steps)


@require_safe
def practice_play_start(request, token):
    return redirect(reverse("practice:new_play", args=[token, 1]))


@require_safe
def practice_play(request, token, number):
    """The routine player, walking through the practice the token names."""
    routine, stops = _played(token)
    return render_player_stop(
        request,
        routine,
        stops,
        number,
        base=reverse("practice:new_play_start", args=[token]),
        finish_url=reverse("practice:new_play_finish", args=[token]),
        breadcrumbs=[HOME, practice_crumb(), (routine.title, routine.get_absolute_url()), ("Practice", None)],
    )


@require_safe
def practice_offline(request, token):
    """What "Save for offline" stores for the practice the token names: its page, cheat sheet, every player
    stop, the finish screen, the pictures and the player's files."""
    practice = _practice_or_404(forms.from_token(token))
    routine, steps = _routine(practice)
    token = forms.token(practice.request)
    return offline.manifest_response(
        routine,
        steps,
        timing.expand_stops(routine, steps),
        cheatsheet_url=f"{reverse('practice:new_cheatsheet')}?{forms.query_string(practice.request)}",
        play_base=reverse("practice:new_play_start", args=[token]),
        finish_url=reverse("practice:new_play_finish", args=[token]),
    )


@require_safe
def practice_play_finish(request, token):
    routine, _ = _played(token)
    context = {
        "routine": routine,
        "restart_url": reverse("practice:new_play", args=[token, 1]),
        "canonical_path": routine.get_absolute_url(),
        "breadcrumbs": [HOME, practice_crumb(), (routine.title, routine.get_absolute_url()), ("Finished", None)],
    }
    return render(request, "routines/player_finish.html", context)


@require_POST
@staff_member_required
def practice_save(request):
    """Staff only: the practice the posted address makes becomes a draft routine, opened in the admin."""
    practice = _practice_or_404(request.POST)
    routine, steps = _routine(practice)
    saved = services.save_as_draft(routine=routine, steps=steps, user=request.user)
    messages.success(request, "The practice is saved as a draft routine. Edit it, then publish it when it is ready.")
    return redirect(reverse("admin:routines_routine_change", args=[saved.pk]))


@require_safe
def my_practice(request):
    """The practitioner's own record. It lives in their browser: the page is the same for everyone and
    its script fills it in from local storage; nothing about it is sent to the server."""
    context = {
        "canonical_path": reverse("practice:mine"),
        "breadcrumbs": [HOME, ("My practice", None)],
    }
    return render(request, "practice/my_practice.html", context)
