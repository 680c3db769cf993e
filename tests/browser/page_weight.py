"""Print each main page's weight (first and repeat load) in the production static configuration.

    HRUF_VAR_DIR=var/test .venv/bin/python tests/browser/page_weight.py

Runs tests/browser/test_weight.py (headless Chromium, whitenoise serving collected, hashed, compressed
static files) and prints the table it writes; exits non-zero when the scan form is over its budget.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    env = {**os.environ, "HRUF_PRINT_WEIGHTS": "1"}
    env.setdefault("HRUF_VAR_DIR", str(ROOT / "var" / "test"))
    command = [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider", "tests/browser/test_weight.py"]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
