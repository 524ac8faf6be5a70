from django.urls import path

from safebase.web.family import views

app_name = "family"
urlpatterns = [
    path("", views.home, name="home"),
    path("child/<int:pk>/", views.child, name="child"),
    path("child/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("child/<int:pk>/signs/", views.signs, name="signs"),
    path("child/<int:pk>/attuned/", views.attuned, name="attuned"),
    path("child/<int:pk>/repairs/", views.repairs, name="repairs"),
    path("child/<int:pk>/co-caregiver/", views.co_caregiver, name="co_caregiver"),
    path("child/<int:pk>/step-away/", views.step_away, name="step_away"),
]
