"""Audit a pinned requirements file for known vulnerabilities with pip-audit.

Exit 1 when a vulnerability is found (or pip-audit fails for another reason). When the
vulnerability database cannot be reached, or answers for none of the packages, say so plainly and
exit 0: a build must not fail for the network alone, but nobody should read that as a clean audit.

Some package indexes answer PyPI's JSON API per project but not per release (pip-audit asks per
release). Then each pin that is the project's newest release is checked against the advisories the
project's JSON lists for that release (PyPI's ``vulnerabilities``, from the same advisory database);
older pins are reported as not audited, by name.

    python scripts/audit.py requirements.lock
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PROJECT_JSON = "https://pypi.org/pypi/{name}/json"

NETWORK_SIGNS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "timed out",
    "ProxyError",
    "SSLError",
)


def main(requirements: str) -> int:
    command = [
        sys.executable, "-m", "pip_audit",
        "--requirement", requirements,
        "--no-deps", "--disable-pip",
        "--progress-spinner", "off",
        "--format", "json",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except ValueError:
        report = None
    if report is None:
        if any(sign in result.stderr for sign in NETWORK_SIGNS):
            print("AUDIT NOT DONE: the vulnerability database could not be reached from here.")
            print(result.stderr.strip().splitlines()[-1])
            return 0
        print(result.stdout + result.stderr)
        print("AUDIT FAILED: pip-audit did not produce a report.")
        return 1

    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = [d for d in dependencies if not d.get("skip_reason")]
    vulnerable = [d for d in audited if d.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix released"
            print(f"VULNERABLE {dep['name']}=={dep['version']}: {vuln['id']} (fixed in: {fixes})")
    if vulnerable:
        print(f"AUDIT FAILED: {len(vulnerable)} of {len(dependencies)} pinned packages have known vulnerabilities.")
        return 1
    if not audited and skipped and all("not found on PyPI" in d["skip_reason"] for d in skipped):
        return project_level_audit(requirements)
    if not audited:
        print(
            f"AUDIT NOT DONE: the vulnerability database answered for none of the {len(dependencies)} pinned "
            f"packages (first reason: {skipped[0]['skip_reason'] if skipped else 'none given'})."
        )
        return 0
    for dep in skipped:
        print(f"not audited: {dep['skip_reason']}")
    print(f"Audit passed: no known vulnerabilities in {len(audited)} of {len(dependencies)} pinned packages.")
    return 0


def pins(requirements: str) -> list[tuple[str, str]]:
    """(name, version) of every ``name==version`` line of a requirements file (extras dropped)."""
    found = []
    for line in open(requirements, encoding="utf-8"):
        match = re.match(r"\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;#\\]+)", line)
        if match:
            found.append((match[1], match[2]))
    return found


def project_advisories(name: str) -> tuple[str, list[dict]] | None:
    """The project's newest version and the advisories PyPI lists for it; None when unreachable."""
    try:
        with urllib.request.urlopen(PROJECT_JSON.format(name=name), timeout=30) as response:  # noqa: S310 (https, fixed host)
            data = json.load(response)
    except (urllib.error.URLError, TimeoutError, ValueError):
        return None
    if "vulnerabilities" not in data:
        return None
    return data["info"]["version"], data["vulnerabilities"] or []


def project_level_audit(requirements: str) -> int:
    pinned = pins(requirements)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda pin: project_advisories(pin[0]), pinned))
    audited, vulnerable, not_audited = 0, 0, []
    for (name, version), answer in zip(pinned, answers, strict=True):
        if answer is None:
            not_audited.append(f"{name}=={version} (no answer)")
            continue
        newest, advisories = answer
        if newest != version:
            not_audited.append(f"{name}=={version} (the index lists advisories only for the newest, {newest})")
            continue
        audited += 1
        for advisory in advisories:
            if advisory.get("withdrawn"):
                continue
            vulnerable += 1
            fixes = ", ".join(advisory.get("fixed_in") or []) or "no fix released"
            print(f"VULNERABLE {name}=={version}: {advisory.get('id')} (fixed in: {fixes})")
    for line in not_audited:
        print(f"not audited: {line}")
    if vulnerable:
        print(f"AUDIT FAILED: known vulnerabilities in pinned packages ({vulnerable} advisories).")
        return 1
    if not audited:
        print(f"AUDIT NOT DONE: no advisories could be read for any of the {len(pinned)} pinned packages.")
        return 0
    print(
        f"Audit passed: no known vulnerabilities in {audited} of {len(pinned)} pinned packages "
        "(advisories from the index's project JSON; the rest are listed above as not audited)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
