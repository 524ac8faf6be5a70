from django.urls import path

from safebase.web.relationships import views

app_name = "relationships"
urlpatterns = [
    path("", views.together, name="together"),
    path("invite/", views.invite, name="invite"),
    path("accept/", views.accept, name="accept"),
    path("join/<str:code>/", views.join, name="join"),
    path("unlink/", views.unlink, name="unlink"),
    path("share/", views.share, name="share"),
    path("shared/<slug:kind>/<int:pk>/", views.shared_item, name="shared_item"),
]
