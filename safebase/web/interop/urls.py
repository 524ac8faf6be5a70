from django.urls import path

from safebase.web.interop import views

app_name = "interop"

urlpatterns = [
    path("fhir/bundle.json", views.fhir_bundle, name="fhir_bundle"),
]
