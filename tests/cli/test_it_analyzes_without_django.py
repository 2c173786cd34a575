"""``tracktwo analyze`` is pure computation: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_it_imports_the_analyze_command_without_django():
    code = (
        "import sys\n"
        "import tracktwo.cli.analyze\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == ""
    assert "tracktwo.cli.analyze" in code
