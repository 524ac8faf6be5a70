from django.urls import path

from safebase.web.clinic import views

app_name = "clinic"
urlpatterns = [
    # the therapist's pages
    path("", views.caseload, name="caseload"),
    path("invite/", views.invite, name="invite"),
    path("clients/add/", views.add_client, name="add_client"),
    path("clients/<int:pk>/", views.client, name="client"),
    path("clients/<int:pk>/session/", views.session, name="session"),
    path("clients/<int:pk>/assign/", views.assign, name="assign"),
    path("clients/<int:pk>/notes/", views.note, name="note"),
    path("clients/<int:pk>/report/", views.client_report, name="client_report"),
    path("clients/<int:pk>/fhir.json", views.client_fhir, name="client_fhir"),
    path("assignments/<int:pk>/link/", views.answer_link, name="answer_link"),
    path("notes/<int:pk>/share/", views.note_share, name="note_share"),
    path("item/<slug:kind>/<int:pk>/", views.item, name="item"),
    path("practice/", views.practice, name="practice"),
    # the client's pages
    path("join/<str:token>/", views.join, name="join"),
    path("my/", views.my, name="my"),
    path("my/share/", views.my_share, name="my_share"),
    path("my/measure/", views.my_measure, name="my_measure"),
    path("my/revoke/<int:pk>/", views.revoke, name="revoke"),
    path("my/questionnaires.ics", views.my_calendar, name="my_calendar"),
    # a no-login client's one questionnaire
    path("answer/<str:token>/", views.answer, name="answer"),
]
