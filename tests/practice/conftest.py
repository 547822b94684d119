import os
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import settings

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


@pytest.fixture
def demo_library(db):
    """The demo content imported into the test database."""
    call_command("import_content", str(DEMO), verbosity=0)


# A CI run checks the same examples every time, so that a red run can be replayed; elsewhere each run
# explores new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
