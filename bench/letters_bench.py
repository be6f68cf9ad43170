"""Letters: batch rate against plain WeasyPrint, and peak memory of 2,000 against 200 letters.

Figures (ratios against a floor measured in the same run):
- seconds per letter in a batch of 200 (`run_batch`: HTML, two rendering processes, files,
  merged print file, manifest) / seconds per letter rendering the same letter HTML one at a
  time with plain `weasyprint.HTML(string=...).write_pdf()`. Target <= 0.8.
- peak memory of a 2,000-letter batch / a 200-letter batch: the batch process's peak plus its
  rendering processes' peaks (VmHWM from /proc: getrusage's ru_maxrss would count the parent's
  size at fork time for spawned workers). Target <= 1.5.

Every measurement runs in its own process, on a database seeded by another process, so the
peaks are the batch's own. `--quick` uses 50 and 500 letters.
Run: .venv/bin/python bench/letters_bench.py [--quick]
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
QUICK = "--quick" in sys.argv
SMALL, LARGE = (50, 500) if QUICK else (200, 2000)
FLOOR_LETTERS = 50 if QUICK else 200


def _app(workdir: Path):
    from bench_wsgi import in_process_app

    return in_process_app(workdir, LETTER_RENDER_PROCESSES=2)


def seed(workdir: Path, n: int) -> None:
    """A district with n citizens in three languages (run in its own process)."""
    import random
    from datetime import UTC, date, datetime

    from portal.citizens.register import create_citizen
    from portal.directory.models import District, Provider
    from portal.extensions import db

    app = _app(workdir)
    rng = random.Random(7)
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)
    with app.app_context():
        db.create_all()
        district, provider = District(name="Nordby"), Provider(name="Hjemmeplejen")
        db.session.add_all([district, provider])
        db.session.flush()
        keyring = app.extensions["keyring"]
        for i in range(n):
            data = {
                "external_id": f"B-{i}",
                "national_id": f"{240341 + i % 9}{1000 + i:04d}"[-10:],
                "name": f"Borger Benchmarksen {i}",
                "date_of_birth": date(1941, 3, 24),
                "address": f"Lindealléen {i % 150 + 1}, {i % 4 + 1}. th.",
                "postcode": "4100",
                "city": "Ringsted",
                "language": ("da", "da", "sv", "en")[i % 4],
                "district_id": district.id,
                "provider_id": provider.id,
                "provider_from": now.date(),
            }
            create_citizen(db.session, keyring, data, now=now, rng=rng)
        db.session.commit()


def batch(workdir: Path) -> dict:
    """Run one batch of every citizen with two rendering processes; time and peaks."""
    from portal import clock
    from portal.audit.services import SYSTEM
    from portal.extensions import db
    from portal.letters import services
    from portal.letters.batch import run_batch
    from portal.letters.scope import scope_for_district_name

    app = _app(workdir)
    with app.app_context():
        chosen = scope_for_district_name(db.session, "Nordby")
        made = services.create_batch(
            db.session,
            chosen,
            only_new=False,
            actor=SYSTEM,
            now=clock.now(),
            directory=workdir / "out",
        )
        watcher = WorkerPeaks()
        started = time.perf_counter()
        result = run_batch(
            db.session, made.id, config=app.config, keyring=app.extensions["keyring"], processes=2
        )
        wall = time.perf_counter() - started
        workers = watcher.stop()
    assert result.status == "done" and result.done == made.total, result
    return {
        "letters": result.done,
        "wall_s": round(wall, 2),
        "s_per_letter": round(wall / result.done, 4),
        "batch_process_peak_mb": _peak_mb(os.getpid()),
        "worker_peaks_mb": workers,
        "merged_mb": round((workdir / "out" / "merged.pdf").stat().st_size / 2**20, 1),
    }


def _peak_mb(pid: int) -> float:
    """VmHWM (peak resident set of the process since its exec) in MB, 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


class WorkerPeaks:
    """Reads the peak memory of this process's children every 0.2 s until stopped."""

    def __init__(self):
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _children(self) -> list[int]:
        me, found = str(os.getpid()), []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if stat.rsplit(")", 1)[1].split()[1] == me:
                    found.append(int(entry.name))
        return found

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            for pid in self._children():
                peak = _peak_mb(pid)
                if peak:
                    self.peaks[pid] = max(peak, self.peaks.get(pid, 0.0))

    def stop(self) -> list[float]:
        """The rendering processes' peaks, largest first (the resource tracker left out)."""
        self._stop.set()
        self._thread.join()
        return sorted((p for p in self.peaks.values() if p > 60), reverse=True)


def floor(workdir: Path, n: int) -> dict:
    """Plain WeasyPrint, one letter at a time, on the same letter HTML (stylesheet inline)."""
    import weasyprint
    from sqlalchemy import select

    from portal.citizens.models import Citizen
    from portal.documents.pdf import STATIC_URL
    from portal.extensions import db
    from portal.letters import content, services

    app = _app(workdir)
    with app.app_context():
        css = content.letter_css(app.config)
        ids = db.session.scalars(select(Citizen.id).order_by(Citizen.id).limit(n)).all()
        pages = [services.information_letter_html(db.session, cid) for cid in ids]
    pages = [html.replace("</head>", f"<style>{css}</style></head>", 1) for html in pages]
    started = time.perf_counter()
    for html in pages:
        weasyprint.HTML(string=html, base_url=STATIC_URL).write_pdf(pdf_variant="pdf/ua-1")
    wall = time.perf_counter() - started
    return {
        "letters": len(pages),
        "wall_s": round(wall, 2),
        "s_per_letter": round(wall / len(pages), 4),
    }


def _child(*args: str) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"bench step {args} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1]) if proc.stdout.strip() else {}


def run_child(argv: list[str]) -> None:
    """Entry point of the measuring subprocesses."""
    step, workdir = argv[0], Path(argv[1])
    if step == "seed":
        seed(workdir, int(argv[2]))
        print("{}")
    elif step == "batch":
        print(json.dumps(batch(workdir)))
    elif step == "floor":
        print(json.dumps(floor(workdir, int(argv[2]))))


def table(f: dict) -> str:
    """A short human-readable table."""
    r, m = f["rate"], f["memory"]
    return "\n".join(
        [
            "figure                                        ours      floor     ratio  target",
            f"s/letter, batch of {SMALL} vs plain write_pdf  {r['batch_s_per_letter']:8.3f}  "
            f"{r['floor_s_per_letter']:8.3f}  {r['ratio']:7.2f}x  <=0.8x",
            f"peak MB, {LARGE} vs {SMALL} letters (all processes) {m['large_peak_mb']:5.1f}  "
            f"{m['small_peak_mb']:8.1f}  {m['ratio']:7.2f}x  <=1.5x",
            f"  batch process {m['large']['batch_process_peak_mb']} vs "
            f"{m['small']['batch_process_peak_mb']} MB; rendering processes "
            f"{m['large']['worker_peaks_mb']} vs {m['small']['worker_peaks_mb']} MB",
        ]
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as large_dir:
        small, large = Path(small_dir), Path(large_dir)
        _child("seed", str(small), str(SMALL))
        _child("seed", str(large), str(LARGE))
        plain = _child("floor", str(small), str(FLOOR_LETTERS))
        ours = _child("batch", str(small), "")
        big = _child("batch", str(large), "")
    small_peak = ours["batch_process_peak_mb"] + sum(ours["worker_peaks_mb"])
    large_peak = big["batch_process_peak_mb"] + sum(big["worker_peaks_mb"])
    figures = {
        "rate": {
            "batch_s_per_letter": ours["s_per_letter"],
            "floor_s_per_letter": plain["s_per_letter"],
            "ratio": round(ours["s_per_letter"] / plain["s_per_letter"], 3),
            "target": 0.8,
            "batch": ours,
            "floor": plain,
        },
        "memory": {
            "small_peak_mb": round(small_peak, 1),
            "large_peak_mb": round(large_peak, 1),
            "ratio": round(large_peak / small_peak, 3),
            "target": 1.5,
            "small": ours,
            "large": big,
        },
    }
    print(table(figures))
    print(json.dumps({"name": "letters", "figures": figures}))


if __name__ == "__main__":
    if "--child" in sys.argv:
        run_child([a for a in sys.argv[sys.argv.index("--child") + 1 :] if a != "--quick"])
    else:
        main()
