from django.forms import Script


class SortableInlineMixin:
    """Drag-and-drop and keyboard reordering for an inline whose model has a position field.

    Use it before the inline base class: `class StepInline(SortableInlineMixin, admin.TabularInline)`.
    The position inputs are renumbered in display order when the form is saved.
    """

    sortable_field_name = "position"
    # The script shows the order; the raw numbers only matter without JavaScript.
    sortable_hide_position = True

    class Media:
        js = [Script("admin/yogasite/sortable-inlines.js", defer=True)]
        css = {"all": ["admin/yogasite/sortable-inlines.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == self.sortable_field_name:
            formfield.widget.attrs["data-sortable-position"] = "hidden" if self.sortable_hide_position else "visible"
            formfield.widget.attrs.setdefault("class", "vIntegerField")
            formfield.widget.attrs["class"] += " sortable-position"
        return formfield
