"""Settings for the test suite: the production settings with a fast hasher."""

import os

os.environ.setdefault("DEBUG", "1")

from kompetanse.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
