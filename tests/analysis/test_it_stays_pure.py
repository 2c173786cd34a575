"""tracktwo.analysis must never import Django: it runs without settings or a database."""

import subprocess
import sys
from pathlib import Path

import tracktwo.analysis

PROBE = """
import importlib, pkgutil, sys
import tracktwo.analysis as package
assert not any(name == "django" or name.startswith("django.") for name in sys.modules)
for info in pkgutil.walk_packages(package.__path__, "tracktwo.analysis."):
    importlib.import_module(info.name)
leaked = sorted(n for n in sys.modules if n == "django" or n.startswith("django."))
print(",".join(leaked))
"""


def test_it_imports_every_analysis_module_without_django() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Django imported by tracktwo.analysis: {result.stdout}"


def test_it_has_no_django_import_statement() -> None:
    root = Path(tracktwo.analysis.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if any(
            line.lstrip().startswith(("import django", "from django"))
            for line in path.read_text().splitlines()
        )
    ]
    assert offenders == []
