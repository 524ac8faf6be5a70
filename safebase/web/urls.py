from django.urls import include, path

from safebase.web import views as site
from safebase.web.accounts import views as accounts
from safebase.web.assessments import views as assessments

urlpatterns = [
    path("", site.home, name="home"),
    path("healthz", site.healthz, name="healthz"),
    path("about/", site.about, name="about"),
    path("help/", site.get_help, name="help"),
    path("auth/token/<str:token>/", accounts.token_sign_in, name="token_sign_in"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts.logout_view, name="logout"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/password/", accounts.password_change, name="password_change"),
    path("accounts/settings/", accounts.preferences, name="preferences"),
    path("assessments/", include("safebase.web.assessments.urls")),
    path("history/", assessments.history, name="history"),
    path("practice/", include("safebase.web.practice.urls")),
    path("together/", include("safebase.web.relationships.urls")),
    path("together/", include("safebase.web.couple.urls")),
    path("interop/", include("safebase.web.interop.urls")),
    path("clinic/", include("safebase.web.clinic.urls")),
    path("family/", include("safebase.web.family.urls")),
    path("", include("safebase.web.mydata.urls")),
    path("", include("safebase.web.reports.urls")),
]
