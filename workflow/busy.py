"""A save that meets a busy SQLite database (a long import holding the write lock past the
busy timeout) gets the form back with a message, instead of an error page."""

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.http import HttpResponse
from django.template import loader

BUSY_MESSAGE = (
    "The database is busy (a large import may be running), so nothing was saved. "
    "Your changes are still in the form: save again in a moment."
)


def is_database_busy(error: Exception) -> bool:
    """SQLite's "database is locked" (or "busy"): another process held the write lock too long."""
    text = str(error).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text)


def _refusing(form_class):
    class BusyForm(form_class):
        def clean(self):
            # Added first, so that it shows whatever else the form finds.
            self.add_error(None, ValidationError(BUSY_MESSAGE, code="database_busy"))
            return super().clean()

    BusyForm.__name__ = form_class.__name__
    return BusyForm


class BusyDatabaseAdminMixin:
    """For a ModelAdmin: when a save finds the database locked, the change form is shown again
    from what was posted, with BUSY_MESSAGE, and nothing is written."""

    # django-reversion opens its transaction in add_view and change_view, around changeform_view.
    def add_view(self, request, form_url="", extra_context=None):
        return self._unless_busy(super().add_view, request, None, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._unless_busy(super().change_view, request, object_id, form_url, extra_context)

    def _unless_busy(self, view, request, object_id, form_url, extra_context):
        try:
            if object_id is None:
                return view(request, form_url, extra_context)
            return view(request, object_id, form_url, extra_context)
        except OperationalError as error:
            if request.method != "POST" or not is_database_busy(error):
                raise
        request.database_busy = True
        # Outside a transaction: on SQLite, opening one would wait for the lock again. Only reads
        # happen, as the form refuses to be saved.
        return self._changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return _refusing(form) if getattr(request, "database_busy", False) else form


class BusyDatabaseMiddleware:
    """Any other request that finds the database locked (an admin action, a login) gets a page
    saying so, with 503 and Retry-After, instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        return response
