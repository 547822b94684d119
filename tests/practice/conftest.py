from pathlib import Path

import pytest
from django.core.management import call_command

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


@pytest.fixture
def demo_library(db):
    """The demo content imported into the test database."""
    call_command("import_content", str(DEMO), verbosity=0)
