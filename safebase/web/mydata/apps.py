from django.apps import AppConfig


class MyDataConfig(AppConfig):
    """A person's own data as a whole: export it, delete all of it, back it up."""

    name = "safebase.web.mydata"
    label = "mydata"
    default_auto_field = "django.db.models.BigAutoField"
