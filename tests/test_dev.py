"""./dev finds any installed Chrome or Chromium, installs one through apt only on Debian, and
otherwise says what to install. Its functions run with fake programs on a PATH of their own."""

import os
import shutil
import subprocess

import pytest

from conftest import ROOT

CHROME = "#!/bin/sh\necho 'Google Chrome 131.0.6778.85'\n"
CHROMIUM = "#!/bin/sh\necho 'Chromium 130.0.6723.58 built on Debian'\n"
SNAP_STUB = ("#!/bin/sh\necho \"Command '/usr/bin/chromium-browser' requires the chromium snap "
             "to be installed.\" >&2\nexit 1\n")
RECORD = "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$CALLS\"\n"


@pytest.fixture
def machine(tmp_path):
    """A fake machine: bin/ is the whole PATH (basic tools linked in, java/npm/dpkg present,
    apt-get records its calls); add(name, script) installs a program."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("timeout", "grep", "dirname", "basename", "cat", "id", "sh", "env"):
        os.symlink(shutil.which(tool), bin_dir / tool)

    def add(name, script, folder=bin_dir):
        path = folder / name
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)
        return path

    for name in ("java", "npm", "dpkg", "apt-get"):
        add(name, RECORD)
    calls = tmp_path / "calls.txt"
    calls.touch()
    os_release = tmp_path / "os-release"

    def run(function, distro="debian", env=None):
        os_release.write_text(f"ID={distro}\n", encoding="utf-8")
        script = f'. ./dev; {function}; echo "PORTAL_CHROMIUM=${{PORTAL_CHROMIUM:-}}"'
        result = subprocess.run(["/bin/bash", "-c", script], cwd=ROOT, capture_output=True,
                                text=True, timeout=60,
                                env={"PATH": str(bin_dir), "CALLS": str(calls),
                                     "PYTHON": "python3",
                                     "OS_RELEASE": str(os_release), **(env or {})})
        return result, calls.read_text(encoding="utf-8")

    machine = type("Machine", (), {})()
    machine.add, machine.run, machine.bin, machine.root = add, run, bin_dir, tmp_path
    return machine


def test_the_first_real_chrome_or_chromium_is_used(machine):
    machine.add("chromium-browser", SNAP_STUB)  # Ubuntu without the snap: not a browser
    chrome = machine.add("google-chrome", CHROME)
    machine.add("google-chrome-stable", CHROME)
    result, calls = machine.run("find_browser")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(chrome)
    result, calls = machine.run("system_packages", distro="ubuntu")
    assert result.returncode == 0, result.stderr
    assert f"PORTAL_CHROMIUM={chrome}" in result.stdout
    assert "apt-get" not in calls  # nothing to install


def test_portal_chromium_names_the_browser(machine):
    elsewhere = machine.root / "opt"
    elsewhere.mkdir()
    custom = machine.add("chrome", CHROMIUM, folder=elsewhere)
    machine.add("chromium", CHROMIUM)
    result, _ = machine.run("system_packages", env={"PORTAL_CHROMIUM": str(custom)})
    assert result.returncode == 0, result.stderr
    assert f"PORTAL_CHROMIUM={custom}" in result.stdout
    broken, calls = machine.run("system_packages",
                                env={"PORTAL_CHROMIUM": str(machine.root / "missing")})
    assert broken.returncode != 0 and "PORTAL_CHROMIUM" in broken.stderr
    assert "apt-get" not in calls  # a wrong setting is reported, not papered over


def test_without_a_browser_ubuntu_is_told_what_to_install(machine):
    machine.add("chromium-browser", SNAP_STUB)
    result, calls = machine.run("system_packages", distro="ubuntu")
    assert result.returncode != 0
    assert "Không tìm thấy trình duyệt Chrome hoặc Chromium" in result.stderr
    assert "google-chrome-stable" in result.stderr and "PORTAL_CHROMIUM" in result.stderr
    assert "apt-get" not in calls


def test_without_a_browser_debian_installs_chromium_with_apt(machine):
    result, calls = machine.run("system_packages", distro="debian")
    assert result.returncode == 0, result.stderr
    assert "apt-get install" in calls and " chromium" in calls
    assert "PORTAL_CHROMIUM=/usr/bin/chromium" in result.stdout
