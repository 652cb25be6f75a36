"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parent.parent


class DeploySettingsTests(SimpleTestCase):
    def run_check(self, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DEBUG", "SECURE_", "DJANGO_"))
        }
        environment.update(env)
        return subprocess.run(
            [
                sys.executable,
                "manage.py",
                "check",
                "--deploy",
                "--fail-level",
                "WARNING",
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    def test_production_settings_pass_check_deploy(self):
        result = self.run_check(
            SECRET_KEY="x" * 60 + "-a-long-random-production-secret",
            SECURE_SSL_REDIRECT="1",
            SECURE_HSTS_SECONDS="31536000",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            SECURE_HSTS_PRELOAD="1",
        )

        self.assertEqual(result.returncode, 0, result.stderr + result.stdout)

    def test_missing_secret_key_fails_loudly(self):
        result = self.run_check(SECRET_KEY="")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY", result.stderr)


class CollectStaticTests(SimpleTestCase):
    def test_collectstatic_works_with_production_settings(self):
        with tempfile.TemporaryDirectory() as target:
            environment = {
                key: value
                for key, value in os.environ.items()
                if not key.startswith(("DEBUG", "SECURE_", "DJANGO_"))
            }
            environment.update(SECRET_KEY="x" * 50, STATIC_ROOT=target)
            result = subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                cwd=ROOT,
                env=environment,
                capture_output=True,
                text=True,
                check=False,
            )
            self.assertEqual(result.returncode, 0, result.stderr)
            manifest = json.loads((Path(target) / "staticfiles.json").read_text())
            self.assertIn("css/app.css", manifest["paths"])
            self.assertTrue((Path(target) / "css" / "app.css.gz").exists())
