from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.urls import reverse
from django.views.generic import DetailView, ListView

from common.caching import cacheable, remember
from common.listing import LenientPaginationMixin
from common.seo import absolute_url
from searchindex.query import Ranked
from workflow.models import public_q

from .filters import PoseFilterForm
from .models import Muscle, Pose, PoseMuscle, prefetch_parts

HOME = ("Home", "/")
# What lists every pose or muscle (pagecache.pages names the same tags).
POSES_LIST, MUSCLES_LIST = "list:poses", "list:muscles"
# What includes/pose_card.html shows of a pose (with its category, pictures and props).


def poses_crumb():
    return ("Poses", reverse("poses:pose_list"))


def muscles_crumb():
    return ("Muscles", reverse("poses:muscle_list"))


@cacheable("list:poses")
class PoseListView(LenientPaginationMixin, ListView):
    template_name = "poses/pose_list.html"
    context_object_name = "poses"
    # A multiple of the two, three and four columns the cards fall into.
    paginate_by = 48

    def get_queryset(self):
        self.filters = PoseFilterForm(self.request.GET)
        poses = self.filters.apply(Pose.objects.published().for_listing())
        if isinstance(poses, Ranked):
            # A search ranks as far as the page asked for (up to a hundred pages), and counts no further.
            page = self.request.GET.get("page", "")
            poses.reach_to((min(int(page), 100) if page.isdigit() else 1) * self.paginate_by)
        return poses

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        poses = context["paginator"].object_list
        context.update(
            more_found=isinstance(poses, Ranked) and poses.more,
            filters=self.filters,
            filter_count=len([name for name in self.filters.values if name not in ("q", "role")]),
            canonical_path=reverse("poses:pose_list") + self.filters.canonical_query(page.number),
            breadcrumbs=[HOME, ("Poses", None)],
        )
        return context


@cacheable()
class PoseDetailView(DetailView):
    template_name = "poses/pose_detail.html"

    def get_queryset(self):
        return Pose.objects.visible_to(self.request.user).for_detail(parts=False)

    def get_object(self, queryset=None):
        pose = super().get_object(queryset)
        prefetch_parts(pose)
        return pose

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pose = self.object
        related, same_muscles = related_cards(pose)
        crumbs = [HOME, poses_crumb()]
        if pose.category:
            crumbs.append((pose.category.name, pose.category.get_absolute_url()))
        context.update(
            warm_up=self._linked(pose.warm_up),
            cool_down=self._linked(pose.cool_down),
            same_muscles=same_muscles,
            related=related,
            breadcrumbs=[*crumbs, (pose.name, None)],
            howto=howto_jsonld(self.request, pose),
            faq=faq_jsonld(pose),
        )
        return context

    def _linked(self, other):
        """A warm-up or cool-down pose, if this visitor may see it."""
        if other is None:
            return None
        return other if other.is_public or self.request.user.is_staff else None


@cacheable("list:muscles")
class MuscleListView(ListView):
    template_name = "poses/muscle_list.html"
    context_object_name = "muscles"

    def get_queryset(self):
        published = public_q("pose_muscles__pose__")
        primary = published & Q(pose_muscles__role=PoseMuscle.Role.PRIMARY)
        # Meta.ordering does not apply to a query with GROUP BY.
        return Muscle.objects.annotate(
            pose_count=Count("pose_muscles__pose", filter=published, distinct=True),
            primary_count=Count("pose_muscles__pose", filter=primary, distinct=True),
        ).order_by("name")

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=[HOME, ("Muscles", None)], **kwargs)


@cacheable()
class MuscleDetailView(DetailView):
    """A muscle and the poses that work it, primary first, a page at a time: a muscle that thousands
    of poses work stays a small page."""

    template_name = "poses/muscle_detail.html"
    model = Muscle
    paginate_by = 24

    def get_context_data(self, **kwargs):
        muscle = self.object
        paginator = Paginator(Pose.objects.published().for_listing().working(muscle), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        poses = list(page.object_list)
        page.object_list = poses
        return super().get_context_data(
            page_obj=page,
            pose_count=paginator.count,
            primary=[p for p in poses if p.muscle_role == PoseMuscle.Role.PRIMARY],
            secondary=[p for p in poses if p.muscle_role == PoseMuscle.Role.SECONDARY],
            highlight=[muscle],
            map_label=f"Body map with the {muscle.name.lower()} shaded; each muscle links to its page",
            og_image=next((p.main_image for p in poses if p.main_image), None),
            canonical_path=muscle.get_absolute_url() + (f"?page={page.number}" if page.number > 1 else ""),
            breadcrumbs=[HOME, muscles_crumb(), (muscle.name, None)],
            **kwargs,
        )


def related_cards(pose: Pose) -> tuple[list[Pose], list[Pose]]:
    """The pose page's "related" and "same primary muscles, different props" cards. Which poses they are
    is worked out over many candidates, so the ids are kept until any pose, muscle, prop, category or
    tag changes (or scheduled content reaches its time); the cards themselves are read fresh, in three
    queries for both lists."""

    def pick():
        # Both pick published poses among a few hundred candidates by their ids; a visibility filter
        # here would have SQLite walk every published pose instead.
        listed = Pose.objects.only("pk")
        related = list(listed.related_to(pose))
        same = listed.same_muscles_other_equipment(pose, exclude=related).prefetch_related(None)
        return [other.pk for other in related], [other.pk for other in same]

    tags = (POSES_LIST, MUSCLES_LIST, f"pose:{pose.pk}")
    related_ids, same_ids = remember(f"pose-related:{pose.pk}", tags, pick, noted=False)
    cards = Pose.objects.for_listing().filter(pk__in=[*related_ids, *same_ids]).prefetch_related("equipment")
    by_id = {other.pk: other for other in cards}
    return [by_id[pk] for pk in related_ids if pk in by_id], [by_id[pk] for pk in same_ids if pk in by_id]


def howto_jsonld(request, pose: Pose) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": f"How to do {pose.name}",
        "url": absolute_url(request, pose.get_absolute_url()),
        "step": [
            {"@type": "HowToStep", "position": position, "text": step.text}
            for position, step in enumerate(pose.steps.all(), start=1)
        ],
    }
    if pose.summary:
        data["description"] = pose.summary
    if pose.main_image:
        data["image"] = absolute_url(request, pose.main_image.src)
    if pose.equipment.all():
        data["tool"] = [{"@type": "HowToTool", "name": item.name} for item in pose.equipment.all()]
    return data


def faq_jsonld(pose: Pose) -> dict | None:
    faqs = pose.faqs.all()
    if not faqs:
        return None
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {"@type": "Question", "name": faq.question, "acceptedAnswer": {"@type": "Answer", "text": faq.answer}}
            for faq in faqs
        ],
    }
