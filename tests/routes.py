"""The app's URLs, read from the URL configuration."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from django.urls import URLPattern, URLResolver, get_resolver


def walk(
    patterns: Sequence[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str = "",
) -> Iterator[tuple[str | None, str]]:
    """(name, route) of every URL but Django's admin, which guards itself;
    names carry their namespace, as in "profiles:person"."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            yield from walk(pattern.url_patterns, route, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, route


def concrete(route: str) -> str:
    """The route with 1 for every argument."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")
