from django.urls import path

from safebase.web.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.questionnaires, name="list"),
    path("start/<slug:instrument_id>/", views.start, name="start"),
    path("<int:pk>/", views.result, name="result"),
    path("<int:pk>/resume/", views.resume, name="resume"),
    path("<int:pk>/page/<int:page>/", views.page, name="page"),
    path("<int:pk>/autosave/", views.autosave, name="autosave"),
]
