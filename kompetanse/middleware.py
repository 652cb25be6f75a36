from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect


class ChosenLanguageMiddleware:
    """Bokmål unless the user chose another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language,
    so an English-language browser would get English without being asked;
    the municipality's default is bokmål.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's, but an htmx request (the session ended while the page was
    open) sends the whole page to the login page and back to that page
    afterwards. Following a redirect, htmx would put the login page in
    place of the part it updates, under the page's last status message."""

    def handle_no_permission(
        self, request: HttpRequest, view_func: Callable
    ) -> HttpResponse:
        response = super().handle_no_permission(request, view_func)
        if request.headers.get("HX-Request") != "true":
            return response
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path + (f"?{page.query}" if page.query else "")
        login = redirect_to_login(
            back or request.get_full_path(),
            self.get_login_url(view_func),
            self.get_redirect_field_name(view_func),
        )
        return HttpResponseClientRedirect(login.url)
