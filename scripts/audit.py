"""Audit a pinned requirements file for known vulnerabilities with pip-audit.

Exit 1 when a vulnerability is found (or pip-audit fails for another reason). When the
vulnerability database cannot be reached, or answers for none of the packages, say so plainly and
exit 0: a build must not fail for the network alone, but nobody should read that as a clean audit.

    python scripts/audit.py requirements.lock
"""

from __future__ import annotations

import json
import subprocess
import sys

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


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock"))
