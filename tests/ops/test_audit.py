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


def test_a_database_that_knows_no_package_is_reported_without_failing(audit, monkeypatch, capsys):
    module = audit(report({"name": "django", "skip_reason": "Dependency not found on PyPI"}))
    monkeypatch.setattr(module, "project_advisories", lambda name: None)  # nor per project

    assert module.main("requirements.lock") == 0
    assert "AUDIT NOT DONE" in capsys.readouterr().out


def test_any_other_failure_of_pip_audit_fails(audit):
    module = audit(stderr="Traceback: something else", returncode=2)

    assert module.main("requirements.lock") == 1


def test_an_index_without_release_json_is_audited_from_the_project_json(audit, monkeypatch, tmp_path, capsys):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==6.1.3 \\\n    --hash=sha256:abc\ncelery[redis]==5.7.0\nnh3==0.3.7\n")
    module = audit(
        report(
            {
                "name": "django",
                "version": "6.1.3",
                "skip_reason": "Dependency not found on PyPI and could not be audited: django (6.1.3)",
            }
        )
    )
    advisories = {"django": ("6.1.3", []), "celery": ("5.7.0", []), "nh3": ("0.3.8", [])}
    monkeypatch.setattr(module, "project_advisories", advisories.get)

    assert module.main(str(lock)) == 0
    out = capsys.readouterr().out
    assert "Audit passed: no known vulnerabilities in 2 of 3 pinned packages" in out
    assert "not audited: nh3==0.3.7 (the index lists advisories only for the newest, 0.3.8)" in out


def test_an_advisory_in_the_project_json_fails_the_audit(audit, monkeypatch, tmp_path, capsys):
    lock = tmp_path / "requirements.lock"
    lock.write_text("django==6.1.3\n")
    module = audit(report({"name": "django", "version": "6.1.3", "skip_reason": "Dependency not found on PyPI"}))
    advisory = {"id": "PYSEC-2026-9", "fixed_in": ["6.1.4"], "withdrawn": None}
    monkeypatch.setattr(module, "project_advisories", lambda name: ("6.1.3", [advisory]))

    assert module.main(str(lock)) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE django==6.1.3: PYSEC-2026-9 (fixed in: 6.1.4)" in out and "AUDIT FAILED" in out
