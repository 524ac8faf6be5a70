from django.urls import path

from safebase.web.mydata import views

urlpatterns = [
    path("export.json", views.export_json, name="export_json"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("delete/", views.delete_everything, name="delete_everything"),
    path("backup/", views.backup, name="backup"),
]
