"""What a public form accepts, every table it reaches can store: a value one character too long
gets a message next to its field, never a 500 from PostgreSQL."""

import pytest
from django import forms
from django.db import models

from blog.forms import SubscribeForm
from blog.models import Subscriber
from consultations.calls.forms import BookingForm
from consultations.models import Consultation, SessionRegistration
from consultations.sessions.forms import SessionRegistrationForm
from tests.consultations.helpers import booking_data, open_values

# A syntactically valid address of 255 characters (Django's EmailField takes up to 320).
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 3) + ".example"
assert len(LONG_EMAIL) == 255

# Form fields cleaned into a shorter stored form (a phone number becomes E.164).
NORMALISED = {(BookingForm, "phone")}


@pytest.mark.parametrize(
    ("form_class", "model"),
    [
        (BookingForm, Consultation),
        (SessionRegistrationForm, SessionRegistration),
        (SubscribeForm, Subscriber),
    ],
)
def test_no_form_field_accepts_more_than_its_column_holds(form_class, model):
    for name, field in form_class.base_fields.items():
        try:
            column = model._meta.get_field(name)
        except Exception:  # noqa: S112 (a form-only field, e.g. consent)
            continue
        is_text = isinstance(column, models.CharField | models.TextField)
        if (form_class, name) in NORMALISED or not (is_text and column.max_length):
            continue
        if isinstance(field, forms.ChoiceField):  # only its choices get through
            longest = max(len(str(value)) for value, _label in field.choices)
            assert longest <= column.max_length, f"{form_class.__name__}.{name}"
            continue
        assert getattr(field, "max_length", None), f"{form_class.__name__}.{name} has no limit"
        assert field.max_length <= column.max_length, f"{form_class.__name__}.{name}"


def test_a_booking_with_an_overlong_email_is_refused_next_to_the_field(client, coordinator):
    response = client.post("/consultation/", booking_data(open_values(1)[0], email=LONG_EMAIL))
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert LONG_EMAIL in response.content.decode()  # the answer is kept to correct
    assert not Consultation.objects.exists()
