"""Programs some tests need beside Python: Chromium, GNU gettext.

Where one is missing the test skips with the reason, so that a developer
without it can still run the rest; CI sets KOMPETANSE_REQUIRE_TOOLS, which
makes a missing program an error instead, so nothing is skipped there.
"""

from __future__ import annotations

import os

import pytest

REQUIRED = "KOMPETANSE_REQUIRE_TOOLS"


def missing_tool(reason: str) -> None:
    """Skip the test for this reason, or fail it when tools are required."""
    if os.environ.get(REQUIRED):
        pytest.fail(f"{reason}, and {REQUIRED} is set", pytrace=False)
    pytest.skip(reason)
