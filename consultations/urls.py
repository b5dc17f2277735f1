"""The public pages of the consultations app, in one "consultations" namespace."""

from .calls import urls as calls
from .sessions import urls as sessions

app_name = "consultations"

urlpatterns = [*calls.urlpatterns, *sessions.urlpatterns]
