"""Admin screens for figures: record a round at once, import and export CSV, flag stale figures.

Every write goes through ``services.record_round`` (atomic, every row
validated by the model's rules) inside one reversion revision with the
editor as its author.
"""

import csv
from datetime import date
from urllib.parse import quote_plus

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import capfirst

from . import figures_csv, services
from .models import Framework, Measurement, Metric
from .selectors import current_figures


def age_text(as_of: date) -> str:
    """How old a figure is, in the largest whole unit: "7 years old", "8 months old", "200 days old"."""
    days = (timezone.localdate() - as_of).days
    if days >= 365:
        n, unit = int(days / 365.25) or 1, "year"
    elif days >= 60:
        n, unit = days // 30, "month"
    else:
        n, unit = days, "day"
    return f"{n} {unit}{pluralize(n)} old"


def stale_mark(as_of: date) -> str:
    """An amber warning with the figure's age, for a stale figure; words, not only a colour or a sign."""
    return format_html(
        '<span class="stale-mark" title="Measured {}: older than {} days"><span aria-hidden="true">⚠</span> '
        '<span class="visually-hidden">Stale: </span>{}</span>',
        as_of.isoformat(), settings.STALE_FIGURE_DAYS, age_text(as_of),
    )


def as_of_label(measurement: Measurement) -> str:
    as_of = measurement.as_of.isoformat()
    return f"{as_of}, stale" if measurement.is_stale else as_of


class StaleFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"

    def lookups(self, request, model_admin):
        return (("stale", f"Older than {settings.STALE_FIGURE_DAYS} days"), ("fresh", "Recent"))

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "fresh":
            return queryset.fresh()
        return queryset


class MetricChoiceForm(forms.Form):
    metric = forms.ModelMultipleChoiceField(
        Metric.objects.all(), widget=forms.CheckboxSelectMultiple, label="Metrics to record"
    )


class RoundForm(forms.Form):
    """The date of a round, each metric's source, and one optional value per framework and metric.

    Each metric carries its own source (pre-filled from the metric's usual
    source): a round of stars and Stack Overflow questions must not label the
    question counts "GitHub".
    """

    as_of = forms.DateField(label="As of", help_text="The day the figures were true, as YYYY-MM-DD.")
    note = Measurement._meta.get_field("note").formfield()
    confirm_drops = forms.BooleanField(
        required=False, label="Yes, these drops of more than half are right: save them."
    )

    def __init__(self, *args, frameworks, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.frameworks, self.metrics = frameworks, metrics
        for metric in metrics:
            # The model's own form fields: the same normalisation and limits as every other way in.
            name = Measurement._meta.get_field("source_name").formfield(
                label=f"Source of {metric.name}", required=False, initial=metric.usual_source_name,
                help_text="e.g. GitHub",
            )
            url = forms.URLField(label=f"Source URL of {metric.name}", max_length=500, assume_scheme="https",
                                 required=False, initial=metric.usual_source_url)
            self.fields[self.source(metric, "name")], self.fields[self.source(metric, "url")] = name, url
        for fw in frameworks:
            for metric in metrics:
                label = f"{fw.name}: new {metric.name}"
                self.fields[self.cell(fw, metric)] = forms.DecimalField(
                    required=False,
                    min_value=0,
                    max_digits=18,
                    decimal_places=4,
                    label=label,
                    widget=forms.NumberInput(attrs={"aria-label": label}),
                    error_messages={"min_value": "A figure cannot be negative."},
                )
        if not self.is_bound:
            self.fields["as_of"].initial = timezone.localdate()

    @staticmethod
    def cell(framework, metric) -> str:
        return f"v-{framework.pk}-{metric.pk}"

    @staticmethod
    def source(metric, part: str) -> str:
        return f"source-{metric.pk}-{part}"

    def label_of(self, field: str, metric) -> str:
        """How this form names a Measurement field of ``metric``'s figures: its own label where it has one."""
        names = {"as_of": "as_of", "note": "note",
                 "source_name": self.source(metric, "name"), "source_url": self.source(metric, "url")}
        if field in names:
            return str(self.fields[names[field]].label)
        return capfirst(Measurement._meta.get_field(field).verbose_name)

    def source_fields(self):
        """(metric, name field, URL field) for the template."""
        return [(m, self[self.source(m, "name")], self[self.source(m, "url")]) for m in self.metrics]

    def clean(self):
        data = super().clean()
        for metric in self.metrics:
            if any(data.get(self.cell(fw, metric)) is not None for fw in self.frameworks):
                for part, what in (("name", "Name the source"), ("url", "Give the source's URL")):
                    key = self.source(metric, part)
                    if key not in self.errors and not data.get(key):
                        self.add_error(key, f"{what} of these {metric.name} figures.")
        return data

    def measurements(self) -> list[Measurement]:
        data = self.cleaned_data
        return [
            Measurement(framework=fw, metric=metric, value=data[self.cell(fw, metric)], as_of=data["as_of"],
                        source_name=data[self.source(metric, "name")], source_url=data[self.source(metric, "url")],
                        note=data["note"])
            for fw in self.frameworks
            for metric in self.metrics
            if data.get(self.cell(fw, metric)) is not None
        ]


class ImportForm(forms.Form):
    """A CSV upload, or (from the preview's Save button) the text just previewed.

    The file is decoded by ``figures_csv.decode``; one that cannot be read, or
    whose text could not come back with the Save button, is an error of the
    file field, the one the page shows.
    """

    file = forms.FileField(required=False, label="CSV file",
                           help_text="UTF-8 (Excel: “CSV UTF-8”); header: " + ", ".join(figures_csv.COLUMNS))
    # A plain Field: the text comes back exactly as previewed (no stripping), and parse() reports NULs itself.
    content = forms.Field(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["text"] = self._read(upload)
            except ValidationError as exc:
                self.add_error("file", exc)
        elif data.get("content"):
            data["text"] = data["content"]
        elif "file" not in self.errors:
            self.add_error("file", "Choose a CSV file.")
        return data

    @staticmethod
    def _read(upload) -> str:
        # The preview posts the text back form-encoded, up to three bytes a byte ("%2C"), and Django
        # refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE: refuse such a file now, not at Save.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        too_big = ValidationError(
            f"The file is too large to import at once (at most about {(limit or 0) // 3 // 1000:,} KB): split it."
        )
        if limit is not None and upload.size > limit:
            raise too_big
        text = figures_csv.decode(upload.read())
        if limit is not None and len(quote_plus(text)) + 3 * text.count("\n") > limit - 1000:
            raise too_big
        return text

    def text(self) -> str:
        return self.cleaned_data["text"]


class RecordFiguresMixin(admin.ModelAdmin):
    """On the Measurement admin: the figures screen and CSV import."""

    change_list_template = "admin/frameworks/measurement/change_list.html"

    @admin.display(description="stale", ordering="as_of")
    def stale(self, obj):
        """An amber mark with the age when the figure is stale; nothing when it is recent (never a green tick)."""
        return stale_mark(obj.as_of) if obj.is_stale else ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("record/", self.admin_site.admin_view(self.record_view), name="%s_%s_record" % info),
            path("import/", self.admin_site.admin_view(self.import_view), name="%s_%s_import" % info),
        ] + super().get_urls()

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "opts": self.opts, "title": title, **extra}

    def _save(self, request, measurements, comment):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            saved = services.record_round(measurements, recorded_by=request.user)
            # A bulk insert sends no post_save for reversion to follow.
            for measurement in saved:
                reversion.add_to_revision(measurement)
            return saved

    def record_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        chooser = MetricChoiceForm(request.GET or None)
        context = self._context(request, "Record a round of figures", chooser=chooser)
        if not chooser.is_valid():
            return TemplateResponse(request, "admin/frameworks/measurement/record.html", context)
        metrics = list(chooser.cleaned_data["metric"])
        frameworks = list(Framework.objects.order_by("name"))
        form = RoundForm(request.POST or None, frameworks=frameworks, metrics=metrics)
        drops = []
        if request.method == "POST" and form.is_valid():
            measurements = form.measurements()
            drops = services.find_drops(measurements)
            if not measurements:
                form.add_error(None, "Enter at least one new value.")
            elif drops and not form.cleaned_data["confirm_drops"]:
                form.add_error("confirm_drops", "Some figures fall by more than half. Check them, then confirm.")
            else:
                try:
                    saved = self._save(request, measurements, f"Recorded a round of {len(measurements)} figure(s).")
                except ValidationError as exc:
                    self._attach_errors(form, measurements, exc)
                else:
                    self.message_user(request, f"Recorded {len(saved)} figure(s) as of {form.cleaned_data['as_of']}.",
                                      messages.SUCCESS)
                    return HttpResponseRedirect(request.get_full_path())
        current = current_figures(metrics=metrics)
        dropped = {(d.measurement.framework_id, d.measurement.metric_id) for d in drops}
        rows = [
            {
                "framework": fw,
                "cells": [
                    {
                        "metric": metric,
                        "current": current.get((fw.pk, metric.pk)),
                        "field": form[form.cell(fw, metric)],
                        "drop": (fw.pk, metric.pk) in dropped,
                    }
                    for metric in metrics
                ],
            }
            for fw in frameworks
        ]
        context.update(form=form, metrics=metrics, rows=rows, drops=drops, stale_days=settings.STALE_FIGURE_DAYS)
        return TemplateResponse(request, "admin/frameworks/measurement/record.html", context)

    @staticmethod
    def _attach_errors(form, measurements, exc):
        """Put each row's problems beside its value; a problem of the whole round above the form."""
        if not isinstance(exc, services.FigureErrors):
            form.add_error(None, exc)
            return
        round_wide = set()
        for index, fields in exc.rows.items():
            m = measurements[index]
            for field, problems in fields.items():
                # Named as the form labels them ("As of: …"), never by the model's attribute name.
                label = "" if field in (NON_FIELD_ERRORS, "value") else f"{form.label_of(field, m.metric)}: "
                for problem in problems:
                    form.add_error(form.cell(m.framework, m.metric), label + problem)
                    if field == "as_of" and problem not in round_wide:
                        # The round has one date: mark its own field too, once.
                        round_wide.add(problem)
                        form.add_error("as_of", problem)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        context = self._context(request, "Import figures from CSV", form=form, columns=figures_csv.COLUMNS)
        if request.method == "POST" and form.is_valid():
            text = form.text()
            parsed = figures_csv.parse(text)
            drops = services.find_drops(parsed.measurements) if parsed.ok else []
            if parsed.ok and "save" in request.POST:
                try:
                    saved = self._save(request, parsed.measurements, f"Imported {len(parsed.measurements)} figure(s) from CSV.")
                except ValidationError:
                    parsed = figures_csv.parse(text)  # someone saved a clashing figure meanwhile
                else:
                    self.message_user(request, f"Imported {len(saved)} figure(s).", messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:frameworks_measurement_changelist"))
            context.update(parsed=parsed, drops=drops, content=text,
                           rows=list(zip(parsed.lines, parsed.measurements)))
        return TemplateResponse(request, "admin/frameworks/measurement/import.html", context)


class FrameworkFiguresMixin(admin.ModelAdmin):
    """On the Framework admin: download a framework's whole figure history as CSV."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/figures.csv", self.admin_site.admin_view(self.export_view),
                 name="%s_%s_export" % info),
        ] + super().get_urls()

    def export_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        object_id = unquote(object_id)
        framework = Framework.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if framework is None:
            raise Http404("No such framework.")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{framework.slug}-figures.csv"'
        csv.writer(response).writerows(figures_csv.export_rows(framework))
        return response
