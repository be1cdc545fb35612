"""The hotline console script: kebab-case names reach the underscore-named commands."""

import subprocess
import sys


def test_kebab_case_command_names_work():
    result = subprocess.run(
        [sys.executable, "-c", "from hotline.cli import main; main(['export-history', '--help'])"],
        capture_output=True,
        text=True,
        env={"DEBUG": "true", "PATH": "", "HOTLINE_DATA_DIR": "var/test"},
    )
    assert result.returncode == 0, result.stderr
    assert "--out" in result.stdout
