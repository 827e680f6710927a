"""The hub's menus write their options themselves, byte for byte as WTForms would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from wtforms import widgets
from wtforms.fields.choices import Choice

from hub.core.forms import MenuWithPlaceholder

VALUES = st.one_of(st.text(max_size=12), st.integers(), st.booleans(), st.none())


@given(value=VALUES, label=st.one_of(st.text(max_size=20), st.none()), selected=st.booleans())
def test_an_option_is_written_as_wtforms_writes_it(value, label, selected):
    choice = Choice(value=value, label=label, selected=selected, render_kw={})
    assert MenuWithPlaceholder.render_option(choice) == widgets.Select.render_option(choice)


def test_an_option_with_attributes_of_its_own_is_left_to_wtforms():
    choice = Choice(value="rh", label="RH & paie", selected=True, render_kw={"disabled": True})
    written = MenuWithPlaceholder.render_option(choice, data_kind="theme")
    assert written == widgets.Select.render_option(choice, data_kind="theme")
    assert written == '<option data-kind="theme" disabled selected value="rh">RH &amp; paie</option>'
