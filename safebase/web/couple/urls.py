from django.urls import path

from safebase.web.couple import views

app_name = "couple"
urlpatterns = [
    path("practice/", views.overview, name="overview"),
    path("ritual/<slug:ritual>/", views.ritual, name="ritual"),
    path("repair/", views.repairs, name="repairs"),
    path("repair/<int:pk>/", views.repair, name="repair"),
    path("repair/<int:pk>/repaired/", views.repaired, name="repaired"),
    path("coregulate/", views.coregulate, name="coregulate"),
    path("signs/", views.signs_checklist, name="signs"),
    path("pair/", views.pair, name="pair"),
    path("coach/", views.coach, name="coach"),
]
