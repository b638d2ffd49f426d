"""QuickTextInput writes in Python what Django's TextInput renders through
its templates (input.html, attrs.html): same markup, same escaping."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from consult.forms.widgets import QuickTextInput

VALUES = [None, "", "nguyen", '<script>"x"</script>\u202e', "O'Brien & Sons", 42, mark_safe("<b>kept</b>")]
ATTRS = [
    None,
    {"id": "id_q", "maxlength": "200", "aria-describedby": "id_q_helptext"},
    {"required": True, "disabled": False, "aria-invalid": "true", "data-x": '"<>&'},
    {"placeholder": gettext_lazy("Search"), "data-safe": mark_safe("&amp;"), "size": 30},
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_quick_text_input_is_the_text_input_of_django(value, attrs):
    assert QuickTextInput().render("q", value, attrs) == forms.TextInput().render("q", value, attrs)
    own = {"class": "wide", "autocomplete": "off"}
    assert QuickTextInput(attrs=own).render("q", value, attrs) == forms.TextInput(attrs=own).render("q", value, attrs)


def test_quick_text_input_escapes_the_value():
    html = QuickTextInput().render("q", '"><script>alert(1)</script>')
    assert html == '<input type="text" name="q" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">'
