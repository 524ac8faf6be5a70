from django.urls import path

from safebase.web.reports import views

urlpatterns = [
    path("report/", views.report, name="report"),
]
