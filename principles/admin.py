from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from .models import Band, Principle, ScalePoint, Statement


class ChangeReasonForm(forms.ModelForm):
    """Asks why, for the history: simple-history keeps it as the record's change reason."""

    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=100,  # the history tables' history_change_reason column
        help_text="Optional. Shown in the history, for example: “Agreed at the March board”.",
    )


class ChangeReasonAdmin(SimpleHistoryAdmin):
    """Records the reason given with every history record the save makes, inlines' too."""

    def save_model(self, request, obj, form, change) -> None:
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change) -> None:
        reason = form.cleaned_data.get("change_reason") or None
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)


class LabelledRowsFormSet(forms.BaseInlineFormSet):
    """A tabular inline names its columns in headings, not <label>s: name each input too."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        noun = self.model._meta.verbose_name
        row = f"new {noun}" if index is None else f"{noun} {index + 1}"
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{field.label}, {row}"


class StatementInline(admin.TabularInline):
    model = Statement
    formset = LabelledRowsFormSet
    extra = 0
    fields = ["order", "text", "hint", "is_active"]
    ordering = ["order"]
    # A statement is a sentence or two: a one-line box hides most of it.
    formfield_overrides = {
        models.CharField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 40})},
    }


@admin.register(Principle)
class PrincipleAdmin(ChangeReasonAdmin):
    form = ChangeReasonForm
    list_display = ["number", "title", "summary"]
    list_display_links = ["number", "title"]
    search_fields = ["title", "summary", "guidance", "statements__text"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StatementInline]
    history_list_display = ["title", "summary"]


@admin.register(Statement)
class StatementAdmin(ChangeReasonAdmin):
    form = ChangeReasonForm
    list_display = ["__str__", "principle", "order", "is_active"]
    list_filter = ["principle", "is_active"]
    list_select_related = ["principle"]
    search_fields = ["text", "hint", "principle__title"]
    history_list_display = ["text", "is_active"]


@admin.register(ScalePoint)
class ScalePointAdmin(SimpleHistoryAdmin):
    list_display = ["value", "label"]


@admin.register(Band)
class BandAdmin(SimpleHistoryAdmin):
    list_display = ["name", "min_mean", "tone", "description"]
