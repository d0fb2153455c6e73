"""requirements.txt (pip, make) and environment.yml (conda, Binder) must describe the same packages."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^\s*(?:-\s+)?([A-Za-z0-9_.\-]+)\s*((?:[<>=!~]=?[^\s#,]+,?)*)\s*(?:#.*)?$")


def parse(lines):
    """{package name (lower case): version spec} of requirement-style lines; skips comments and -e."""
    found = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith(("-e", "- -e")) or line.endswith(":"):
            continue
        match = REQUIREMENT.match(line)
        assert match, f"cannot read the requirement line {line!r}"
        found[match.group(1).lower()] = match.group(2)
    return found


def test_requirements_and_environment_yml_agree():
    pip = parse((ROOT / "requirements.txt").read_text().splitlines())
    env_lines = (ROOT / "environment.yml").read_text().splitlines()
    deps = env_lines[env_lines.index("dependencies:") + 1:]
    conda = parse(line for line in deps if line.strip().startswith("- "))
    assert conda.pop("python", None) == ">=3.10", "environment.yml should pin python>=3.10"
    conda.pop("pip", None)
    assert conda == pip, f"only in requirements.txt: {pip.items() - conda.items()}; " \
                         f"only in environment.yml: {conda.items() - pip.items()}"


def test_both_install_the_course_package():
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()
    assert any(line.strip() == "- -e ." for line in (ROOT / "environment.yml").read_text().splitlines())
