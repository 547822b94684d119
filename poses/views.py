from django.views.generic import DetailView, ListView

from .models import Muscle, Pose


class PoseListView(ListView):
    template_name = "poses/pose_list.html"

    def get_queryset(self):
        return Pose.objects.published().for_listing()


class PoseDetailView(DetailView):
    template_name = "poses/pose_detail.html"

    def get_queryset(self):
        return Pose.objects.visible_to(self.request.user).for_detail()


class MuscleListView(ListView):
    model = Muscle
    template_name = "poses/muscle_list.html"


class MuscleDetailView(DetailView):
    model = Muscle
    template_name = "poses/muscle_detail.html"
