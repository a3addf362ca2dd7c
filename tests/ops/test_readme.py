"""The README starts with the two commands and lists every demo login that seed_demo creates."""

from pathlib import Path

from wizzr.management.commands.seed_demo import USERS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_readme_starts_with_the_two_commands():
    first_section = README.split("\n## ", 2)[1]

    assert first_section.startswith("The two commands")
    assert "make run" in first_section and "make test" in first_section


def test_every_demo_login_is_in_the_readme_with_the_default_password():
    missing = [email for email, *_ in USERS if f"`{email}`" not in README]

    assert not missing, f"add these demo logins to README.md: {missing}"
    assert "`wizzr-demo-2026`" in README and "`DEMO_PASSWORD`" in README


def test_the_readme_names_no_machine_paths():
    for fragment in ("/work/", "/root/", "/tmp/", "/opt/"):  # noqa: S108 - looked for, not used
        assert fragment not in README
