"""Static files in production: compressed, with hashed names."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, except that a stylesheet's reference to a file
    that is not there stays as written instead of failing collectstatic.

    Punkt's stylesheet names the Oslo Sans fonts, which its package does
    not ship (see static/vendor/README.md); browsers fall back to the
    system font, in development and in production alike."""

    def hashed_name(self, name: str, content: Any = None, filename: Any = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and not self.exists(self.clean_name(name)):
                return name
            raise
