"""The input rules hold by construction: every form is a HubForm, every text has a length its column holds,
every number a range, and each kind of hostile value is refused with a French message."""

from __future__ import annotations

import importlib
import inspect

import pytest
from wtforms import DecimalField, HiddenField, IntegerField, StringField
from wtforms.validators import Length, NumberRange

from hub.core.forms import HubForm

FORM_MODULES = ("hub.core.forms", "participants.forms", "workshops.forms", "irritants.forms",
                "irritants.method_forms", "exports.forms")


def _form_classes():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, HubForm.__mro__[1]) and cls is not HubForm:
                yield cls


def _fields(cls):
    for name in dir(cls):
        unbound = getattr(cls, name)
        if hasattr(unbound, "field_class") and hasattr(unbound, "kwargs"):
            yield name, unbound


def test_every_form_is_a_hub_form():
    classes = list(_form_classes())
    assert len(classes) >= 30
    assert [cls.__name__ for cls in classes if not issubclass(cls, HubForm)] == []


def test_every_text_field_has_a_maximum_length():
    missing = []
    for cls in _form_classes():
        for name, unbound in _fields(cls):
            if issubclass(unbound.field_class, StringField) and not issubclass(unbound.field_class, HiddenField):
                validators = unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else [])
                if not any(isinstance(v, Length) and v.max > 0 for v in validators):
                    missing.append(f"{cls.__name__}.{name}")
    assert missing == [], missing


def test_every_number_field_has_a_range():
    missing = []
    for cls in _form_classes():
        for name, unbound in _fields(cls):
            if issubclass(unbound.field_class, (IntegerField, DecimalField)):
                validators = unbound.kwargs.get("validators") or []
                if not any(isinstance(v, NumberRange) and v.max is not None for v in validators):
                    missing.append(f"{cls.__name__}.{name}")
    assert missing == [], missing


@pytest.mark.parametrize("typed", ["NaN", "sNaN", "Infinity", "-inf", "1e27", "²", "1" * 4400, "0x10", "1,2,3"])
def test_a_number_that_is_not_plain_is_refused_in_french(app, typed):
    from irritants.forms import MeasureValueForm

    with app.test_request_context(method="POST", data={"value": typed, "measured_on": "2024-11-05",
                                                       "nature": "measured"}):
        form = MeasureValueForm()
        assert not form.validate()
        assert form.value.data is None
        assert any("nombre" in str(error) for error in form.value.errors), form.value.errors
