"""`make bench`: run every bench/*_bench.py and collect the figures they print.

Each script prints one JSON object on its last line: {"name": ..., "figures": {...}} where
every figure is a ratio against a floor measured in the same run (plus the raw numbers).
The collected results go to bench/out/latest.json and a table on stdout.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(selected: list[str]) -> int:
    """Run the benchmarks (all, or those whose name contains one of the arguments)."""
    scripts = sorted(HERE.glob("*_bench.py"))
    if selected:
        scripts = [s for s in scripts if any(word in s.name for word in selected)]
    results, failed = {}, []
    for script in scripts:
        started = time.monotonic()
        print(f"== {script.name}", flush=True)
        proc = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
        )
        sys.stdout.write(proc.stdout)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr[-4000:])
            failed.append(script.name)
            continue
        last = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if last:
            results[script.stem] = json.loads(last[-1])
        print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2, sort_keys=True))
    if not scripts:
        print("no benchmarks yet")
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
