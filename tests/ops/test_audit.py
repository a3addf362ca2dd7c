"""scripts/audit.py: a finding fails the build; an unreachable vulnerability database is reported, not hidden."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("audit_script", ROOT / "scripts" / "audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def answer(stdout: str = "", stderr: str = "", returncode: int = 0):
        result = subprocess.CompletedProcess([], returncode, stdout=stdout, stderr=stderr)
        monkeypatch.setattr(module.subprocess, "run", lambda *a, **k: result)
        return module

    return answer


def report(*dependencies) -> str:
    return json.dumps({"dependencies": list(dependencies), "fixes": []})


def test_a_known_vulnerability_fails_the_audit(audit, capsys):
    module = audit(
        report(
            {"name": "django", "version": "6.1.3", "vulns": [{"id": "PYSEC-2026-1", "fix_versions": ["6.1.4"]}]},
            {"name": "celery", "version": "5.7.0", "vulns": []},
        ),
        returncode=1,
    )

    assert module.main("requirements.lock") == 1
    out = capsys.readouterr().out
    assert "VULNERABLE django==6.1.3: PYSEC-2026-1 (fixed in: 6.1.4)" in out


def test_a_clean_audit_passes(audit, capsys):
    module = audit(report({"name": "django", "version": "6.1.3", "vulns": []}))

    assert module.main("requirements.lock") == 0
    assert "Audit passed" in capsys.readouterr().out


def test_an_unreachable_database_is_reported_without_failing(audit, capsys):
    module = audit(stderr="requests.exceptions.ConnectionError: Max retries exceeded with url", returncode=1)

    assert module.main("requirements.lock") == 0
    assert "AUDIT NOT DONE" in capsys.readouterr().out


def test_a_database_that_knows_no_package_is_reported_without_failing(audit, capsys):
    module = audit(report({"name": "django", "skip_reason": "Dependency not found on PyPI"}))

    assert module.main("requirements.lock") == 0
    assert "AUDIT NOT DONE" in capsys.readouterr().out


def test_any_other_failure_of_pip_audit_fails(audit):
    module = audit(stderr="Traceback: something else", returncode=2)

    assert module.main("requirements.lock") == 1
