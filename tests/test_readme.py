"""The README's two set-up commands: they work in a root shell without sudo (a fresh container)
and for a user with sudo, refresh apt's lists first, and .ci/run runs the same test command."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APT_PART = re.compile(r"^(.*?) && (python3 -m venv .*)$")


def readme_commands() -> dict[str, str]:
    """{"app": ..., "tests": ...}: the bash blocks under the README's two set-up headings."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = {}
    for key, heading in (("app", "**Install and launch the app:**"),
                         ("tests", "**Install and run the whole test suite**")):
        block = text[text.index(heading):].split("```bash\n", 1)[1].split("```", 1)[0]
        lines = block.strip().splitlines()
        assert len(lines) == 1, f"the {key} command must be one line"
        commands[key] = lines[0]
    return commands


def run_apt_part(command: str, tmp_path: Path, with_sudo: bool) -> list[str]:
    """Run the command's apt-get part with stub apt-get (and sudo) programs that only record
    how they were called; PATH holds nothing else, so there is no real sudo to find."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    stubs = {"apt-get": f'echo "DEBIAN_FRONTEND=${{DEBIAN_FRONTEND:-}} apt-get $*" >> {log}'}
    if with_sudo:
        stubs["sudo"] = f'echo "sudo" >> {log}; exec "$@"'
    for name, body in stubs.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    (bin_dir / "env").symlink_to(shutil.which("env"))
    apt_part = APT_PART.match(command).group(1)
    result = subprocess.run(["/bin/bash", "-c", apt_part], env={"PATH": str(bin_dir)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return log.read_text().splitlines()


@pytest.mark.parametrize("key", ["app", "tests"])
@pytest.mark.parametrize("with_sudo", [False, True], ids=["root without sudo", "with sudo"])
def test_a_set_up_command_updates_apt_then_installs_with_or_without_sudo(tmp_path, key,
                                                                         with_sudo):
    calls = run_apt_part(readme_commands()[key], tmp_path, with_sudo)
    apt_calls = [call for call in calls if "apt-get" in call]
    assert apt_calls[0].endswith("apt-get update")
    assert apt_calls[1].startswith("DEBIAN_FRONTEND=noninteractive apt-get install -y ")
    # python3-venv and libglib2.0-0 are missing from a minimal container, not from a desktop
    assert {"python3-venv", "libglib2.0-0", "libxcb-cursor0"} <= set(apt_calls[1].split())
    assert calls.count("sudo") == (2 if with_sudo else 0)


def test_ci_runs_the_readmes_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    packages = " ".join(re.search(r'SYSTEM_PACKAGES="([^"]*)"', script).group(1)
                        .replace("\\\n", " ").split())
    apt_line = next(line.strip() for line in script.splitlines() if "apt-get install" in line)
    python_line = next(line for line in script.splitlines() if line.startswith("python3 -m venv"))
    ci_command = apt_line.replace("$SYSTEM_PACKAGES", packages) + " && " + python_line
    assert ci_command == readme_commands()["tests"]


def test_the_app_command_installs_what_the_test_command_does_but_the_test_tools():
    app, tests = (APT_PART.match(command).group(1).split()
                  for command in readme_commands().values())
    assert [word for word in tests if word not in ("xvfb", "xauth")] == app
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
