from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from audit.forms import ThrottledAuthenticationForm
from profiles.views import home

urlpatterns = [
    path("", home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            authentication_form=ThrottledAuthenticationForm,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", login_not_required(set_language), name="set-language"),
    path("catalogue/", include("catalogue.urls")),
    path("", include("exchange.urls")),
    path("analysis/", include("analysis.urls")),
    path("conversations/", include("conversations.urls")),
    path("", include("profiles.urls")),
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
]
