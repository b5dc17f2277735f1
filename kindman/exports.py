"""Spreadsheet exports from the admin (`list_export`) that keep what people typed as text."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# Spreadsheet programs run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class FormulaSafeExportMixin(SpreadsheetExportMixin):
    """Wagtail's export writes formula-like XLSX cells as text, but writes CSV values as they
    are; prefix a quote there (OWASP "CSV injection") so `=HYPERLINK(...)` stays text. Every
    index view with a `list_export` uses it."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value
