from django.urls import path

from safebase.web.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("coach/", views.coach, name="coach"),
    path("checkin/", views.checkin, name="checkin"),
    path("journal/", views.journal, name="journal"),
    path("triggers/", views.triggers, name="triggers"),
    path("progress/", views.progress, name="progress"),
    path("schedule.ics", views.schedule, name="schedule"),
    path("exercise/<slug:exercise_id>/", views.exercise, name="exercise"),
]
