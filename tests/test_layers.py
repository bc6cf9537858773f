"""The import-linter contracts of pyproject.toml, run on small synthetic trees.

These tests prove what the contracts forbid, not that the project keeps them today: that
is ``lint-imports`` in ``make lint``. Each case writes the six root packages into a
temporary directory with the arrows the house allows, adds at most one forbidden arrow, and
runs ``lint-imports`` with the project's own ``pyproject.toml`` on that tree only.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
APPS = ["bdvo_portal", "extranet", "catalogue", "animation_tools", "trainings", "content"]

# The arrows of the house: every domain app stands on extranet, bdvo_portal on everything.
ALLOWED = {
    "catalogue/models.py": "import extranet.models\n",
    "animation_tools/services.py": "import extranet.models\nimport extranet.tasks\n",
    "trainings/views.py": "import extranet.tenancy\nimport trainings.services\n",
    "content/models.py": "import extranet.models\n",
    "bdvo_portal/urls.py": "import catalogue.views\nimport content.views\nimport extranet.views\n",
    "extranet/views/__init__.py": "import extranet.models\n",
    "extranet/tasks.py": "import extranet.models\n",
    "catalogue/views.py": "import catalogue.models\n",
    "content/views.py": "import content.models\n",
}


def _lint(tmp_path: Path, extra: dict[str, str], contract: str) -> subprocess.CompletedProcess[str]:
    """``lint-imports --contract <contract>`` on the allowed tree plus the ``extra`` modules."""
    for app in APPS:
        (tmp_path / app).mkdir(parents=True)
        (tmp_path / app / "__init__.py").write_text("")
    for path, source in {**ALLOWED, **extra}.items():
        module = tmp_path / path
        module.parent.mkdir(parents=True, exist_ok=True)
        module.write_text(source)
    return subprocess.run(  # noqa: S603 - the venv's own lint-imports, on a tree written above
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", "--contract", contract, str(PYPROJECT)],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_contracts_name_every_app_once() -> None:
    """A new app missing from the layers would escape them: the layers are the root packages."""
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    layers = next(contract for contract in config["contracts"] if contract["id"] == "layers")["layers"]
    in_layers = [name.strip() for layer in layers for name in layer.split("|")]
    assert sorted(in_layers) == sorted(config["root_packages"]) == sorted(APPS)


def test_the_house_keeps_both_contracts(tmp_path: Path) -> None:
    for contract in ("layers", "no-views-below"):
        result = _lint(tmp_path / contract, {}, contract)
        assert result.returncode == 0, result.stdout + result.stderr


# (module, its source, the arrow lint-imports must report): each on its own tree, so that
# each report comes from its own arrow.
LAYER_BREAKERS = [
    # The old arrows: the espace professionnel in extranet importing the domain apps.
    ("extranet/site.py", "import catalogue.models\n", "extranet is not allowed to import catalogue"),
    ("extranet/dashboard.py", "import trainings.views\n", "extranet is not allowed to import trainings"),
    ("extranet/menu.py", "import animation_tools.models\n", "extranet is not allowed to import animation_tools"),
    ("extranet/forms.py", "import content.models\n", "extranet is not allowed to import content"),
    # The ground never reaches the top floor.
    ("extranet/emails.py", "import bdvo_portal.urls\n", "extranet is not allowed to import bdvo_portal"),
    # Domain apps are independent siblings.
    ("content/demo.py", "import catalogue.models\n", "content is not allowed to import catalogue"),
    ("trainings/forms.py", "import animation_tools.models\n", "trainings is not allowed to import animation_tools"),
    ("catalogue/search.py", "import content.views\n", "catalogue is not allowed to import content"),
    # A domain app does not reach the top floor either.
    ("catalogue/tasks.py", "import bdvo_portal.urls\n", "catalogue is not allowed to import bdvo_portal"),
]

VIEW_BREAKERS = [
    ("catalogue/tasks.py", "import catalogue.views\n", "catalogue.tasks is not allowed to import catalogue.views"),
    (
        "catalogue/services/__init__.py",
        "import catalogue.staff_views\n",
        "catalogue.services is not allowed to import catalogue.staff_views",
    ),
    (
        "extranet/tasks.py",
        "from extranet.views import lists\n",
        "extranet.tasks is not allowed to import extranet.views",
    ),
    # Indirectly too: animation_tools.services queues mail through extranet.tasks.
    (
        "extranet/tasks.py",
        "import extranet.views.lists\n",
        "animation_tools.services is not allowed to import extranet.views",
    ),
]
# View modules some arrows above import, absent from the allowed tree.
VIEW_MODULES = {"catalogue/staff_views.py": "", "extranet/views/lists.py": ""}


@pytest.mark.parametrize(
    ("contract", "module", "source", "broken_arrow"),
    [("layers", *breaker) for breaker in LAYER_BREAKERS] + [("no-views-below", *breaker) for breaker in VIEW_BREAKERS],
)
def test_the_contract_reports_the_forbidden_arrow(
    tmp_path: Path, contract: str, module: str, source: str, broken_arrow: str
) -> None:
    result = _lint(tmp_path, {**VIEW_MODULES, module: source}, contract)
    assert result.returncode == 1
    assert broken_arrow in result.stdout
