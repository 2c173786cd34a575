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


def test_it_runs_analyze_without_other_commands_libraries(shared_data):
    """Only the chosen command's module is configured: the statistics of the evaluation
    command, the sortition solver and Django stay unloaded while a Pol.is export is analysed."""
    folder = shared_data / "polis-opendata" / "scoop-hivemind.ubi"
    code = (
        "import sys\n"
        "from tracktwo.cli import main\n"
        f"code = main(['analyze', {str(folder)!r}, '--json', '--quiet'])\n"
        "heavy = ('scipy.stats', 'sortition_algorithms', 'django', 'tracktwo.analysis.schulze')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy)\n"
        "print(code, ','.join(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert done.stdout.startswith("{")
    assert done.stderr.split() == ["0"]
