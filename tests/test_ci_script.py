"""`.ci/run`, with `make` and the PostgreSQL tools replaced by stubs that
write down how they were called."""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from unittest import TestCase

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "run"

STUB_MAKE = """#!/bin/sh
echo "$* DATABASE_URL=${DATABASE_URL:-none}" >> "$STUB_LOG"
calls=$(wc -l < "$STUB_LOG")
[ "$calls" -eq "${FAIL_AT:-0}" ] && exit 2
exit 0
"""


class CiScriptTests(TestCase):
    def run_script(
        self, fail_at: int = 0, **env: str
    ) -> tuple[subprocess.CompletedProcess, list[str]]:
        with tempfile.TemporaryDirectory() as folder:
            stubs = Path(folder)
            for name, body in {
                "make": STUB_MAKE,
                "pg_isready": "#!/bin/sh\nexit 0\n",
                "createdb": "#!/bin/sh\nexit 0\n",
                "msgmerge": "#!/bin/sh\nexit 0\n",
                "apt-get": "#!/bin/sh\nexit 0\n",
            }.items():
                stub = stubs / name
                stub.write_text(body)
                stub.chmod(0o755)
            log = stubs / "calls.log"
            log.touch()
            environment = {
                key: value
                for key, value in os.environ.items()
                if key not in {"DATABASE_URL", "CI_DATABASE_URL"}
            }
            environment.update(
                PATH=f"{stubs}{os.pathsep}{environment.get('PATH', '')}",
                STUB_LOG=str(log),
                FAIL_AT=str(fail_at),
                **env,
            )
            result = subprocess.run(
                ["bash", str(SCRIPT)],
                env=environment,
                capture_output=True,
                text=True,
                timeout=60,
            )
            return result, log.read_text().splitlines()

    def test_runs_the_suite_on_sqlite_then_on_postgresql(self):
        result, calls = self.run_script()

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            calls,
            [
                "test DATABASE_URL=none",
                "test DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompetanse",
            ],
        )

    def test_the_first_run_is_on_sqlite_even_with_database_url_set(self):
        result, calls = self.run_script(
            DATABASE_URL="postgres://postgres@127.0.0.1:5432/elsewhere"
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(calls[0], "test DATABASE_URL=none")

    def test_fails_when_the_sqlite_run_fails(self):
        result, calls = self.run_script(fail_at=1)

        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(len(calls), 1)

    def test_fails_when_the_postgresql_run_fails(self):
        result, calls = self.run_script(fail_at=2)

        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(len(calls), 2)
