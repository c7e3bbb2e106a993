from django.urls import re_path

from .import_views import ImportStartView

urlpatterns = [
    re_path(r"^events/import/(?P<kind>json|frab-xml|frab-json)$", ImportStartView.as_view(), name="import-start"),
]
