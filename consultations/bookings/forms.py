"""What every booking form shares."""

# A checkbox before its label, with its help and errors: Django renders each field from the
# template its field names (`forms.BooleanField(template_name=CHECK_FIELD)`).
CHECK_FIELD = "consultations/includes/check_field.html"
