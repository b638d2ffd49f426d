"""The project's form renderer (core/form_rendering.py, settings.FORM_RENDERER)
writes the same markup as Django's, widget by widget: every widget class whose
template it writes in Python, with empty, ordinary, chosen and hostile values
and attributes, compared byte for byte with django.forms.renderers.DjangoTemplates.
A Django upgrade that changes a widget template fails here."""

from datetime import date, datetime, time

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from consult.forms.widgets import DateInput, DateTimeLocalInput
from core.form_rendering import FastWidgetRenderer

FAST, DJANGO = FastWidgetRenderer(), DjangoTemplates()
HOSTILE = "<b>\"x\" & 'y'</b>"
CHOICES = [("", "—"), ("a", "Alpha"), ("b", HOSTILE), (3, "三"), ("Group", [("g1", "G one"), ("g2", "G <two>")])]
FLAT_CHOICES = [("a", "Alpha"), ("b", HOSTILE), (3, "三")]
ATTRS = [
    None,
    {"id": "id_f", "class": "field__input", "required": True},
    {"id": "id_f", "aria-describedby": "id_f_helptext id_f_error", "aria-invalid": "true", "data-odd": HOSTILE},
    {"id": "id_f", "disabled": True, "hidden": False, "placeholder": "例: 山田"},
]


def _same(widget, value, attrs):
    fast = widget.render("f", value, attrs=attrs, renderer=FAST)
    slow = widget.render("f", value, attrs=attrs, renderer=DJANGO)
    assert fast == slow, (type(widget).__name__, value, attrs)


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize(
    ("widget", "values"),
    [
        (forms.TextInput(), [None, "", "Nguyễn", HOSTILE, 0, 12]),
        (forms.NumberInput(), [None, 0, 25, "-3", 1.5]),
        (forms.EmailInput(), [None, "a@example.invalid"]),
        (forms.URLInput(), [None, "https://example.invalid/?a=1&b=2"]),
        (forms.PasswordInput(), [None, "secret"]),
        (forms.PasswordInput(render_value=True), ["secret"]),
        (forms.HiddenInput(), [None, "tok-1", HOSTILE]),
        (forms.SearchInput(), [None, "田中"]),
        (forms.TelInput(), [None, "090-1234-5678"]),
        (forms.DateInput(), [None, date(2026, 12, 1), "2026-13-40"]),
        (DateInput(), [None, date(2026, 12, 1), "9999-12-31"]),
        (forms.DateTimeInput(), [None, datetime(2026, 12, 1, 9, 30)]),
        (DateTimeLocalInput(), [None, datetime(2026, 12, 1, 9, 30), "2026-12-01T09:30"]),
        (forms.TimeInput(), [None, time(8, 30)]),
        (forms.CheckboxInput(), [None, False, True, "on", ""]),
        (forms.Textarea(), [None, "", "一行目\n二行目", HOSTILE]),
        (forms.Textarea(attrs={"rows": 3}), ["x"]),
        (forms.Select(choices=CHOICES), [None, "", "a", "b", 3, "g2", "missing"]),
        (forms.SelectMultiple(choices=CHOICES), [None, [], ["a", "g1"], [3]]),
        (forms.NullBooleanSelect(), [None, True, False, "unknown"]),
        (forms.RadioSelect(choices=FLAT_CHOICES), [None, "a", "b", 3]),
        (forms.RadioSelect(choices=CHOICES), ["g1"]),
        (forms.CheckboxSelectMultiple(choices=FLAT_CHOICES), [None, [], ["a", "b"], [3]]),
        (forms.CheckboxSelectMultiple(choices=CHOICES), [["g2"]]),
    ],
    ids=lambda item: type(item).__name__ if isinstance(item, forms.Widget) else None,
)
def test_every_written_widget_renders_as_django_does(widget, values, attrs):
    for value in values:
        _same(widget, value, attrs)


def test_radio_and_checkbox_options_render_alone_as_django_does():
    for widget in (forms.RadioSelect(choices=FLAT_CHOICES), forms.CheckboxSelectMultiple(choices=FLAT_CHOICES)):
        fast_field = forms.Form(renderer=FAST)
        slow_field = forms.Form(renderer=DJANGO)
        for form in (fast_field, slow_field):
            form.fields["f"] = forms.MultipleChoiceField(choices=FLAT_CHOICES, widget=widget)
        for fast, slow in zip(fast_field["f"].subwidgets, slow_field["f"].subwidgets, strict=True):
            assert str(fast) == str(slow)


def test_other_templates_go_to_djangos_renderer():
    """Forms, fields and widgets it does not write (a file input, a split
    date/time) come out exactly as Django writes them."""

    class Sample(forms.Form):
        upload = forms.FileField(required=False)
        when = forms.SplitDateTimeField(required=False)
        name = forms.CharField(help_text="help & <more>")

    assert Sample(renderer=FAST).as_div() == Sample(renderer=DJANGO).as_div()
    bound = {"name": "", "when_0": "2026-12-01", "when_1": "nonsense"}
    assert Sample(bound, renderer=FAST).as_div() == Sample(bound, renderer=DJANGO).as_div()


def test_it_is_the_projects_form_renderer():
    assert isinstance(get_default_renderer(), FastWidgetRenderer)
    assert isinstance(forms.Form().renderer, FastWidgetRenderer)


def test_the_common_widgets_do_not_go_through_the_template_engine(monkeypatch):
    """The point of it: no template is looked up for them (else the comparisons
    above would pass with a renderer that wrote nothing itself)."""
    looked_up = []
    original = DjangoTemplates.get_template
    monkeypatch.setattr(
        DjangoTemplates, "get_template", lambda self, name: looked_up.append(name) or original(self, name)
    )
    for widget, value in (
        (forms.TextInput(), "x"),
        (DateInput(), date(2026, 12, 1)),
        (forms.Select(choices=CHOICES), "a"),
        (forms.SelectMultiple(choices=CHOICES), ["a"]),
        (forms.RadioSelect(choices=FLAT_CHOICES), "a"),
        (forms.CheckboxSelectMultiple(choices=FLAT_CHOICES), ["a"]),
        (forms.CheckboxInput(), True),
        (forms.Textarea(), "x"),
    ):
        widget.render("f", value, renderer=FAST)
    assert looked_up == []
    forms.ClearableFileInput().render("f", None, renderer=FAST)
    assert looked_up == ["django/forms/widgets/clearable_file_input.html"]
