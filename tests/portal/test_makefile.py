"""`make` finds a Python 3.12+ itself, and says so plainly when there is none."""

import shutil
import subprocess
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def test_make_without_a_suitable_python_stops_with_one_line(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    old_python = shutil.which("python3.11") or "/usr/bin/python3"
    (bin_dir / "python3").symlink_to(old_python)
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}

    result = subprocess.run(
        [shutil.which("make"), "-s", "install", f"VENV={tmp_path / 'venv'}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "No Python 3.12 or newer found" in result.stderr
    assert not (tmp_path / "venv").exists()
