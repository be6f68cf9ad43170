"""One unit of work: services flush and never commit; views, CLI commands and jobs commit once.

Greps every module under portal/ for `.commit(` and for `commit: bool` flags; only the layers
that own a unit of work may commit.
"""

import re
from pathlib import Path

PORTAL = Path(__file__).resolve().parent.parent / "portal"
COMMIT = re.compile(r"\.commit\(|\bcommit: bool\b")

# Entry points: a request, a command or a job is the unit of work.
ENTRY_POINTS = re.compile(r"^(views\w*|\w+_views|api|cli|tasks|jobs|downloads)\.py$")
# Runners that commit by design, each explained in its own docstring or comment.
RUNNERS = {
    "letters/batch.py",  # claims a batch, then each letter (with its heartbeat) is its own unit
    "letters/runstate.py",  # the claim of a batch (moved out of batch.py), committed at once
    "letters/catchup.py",  # puts a batch stopped by a full disk back in the queue, then queues
    "notify/runner.py",  # a lease before sending, then each message once it went out
    "access/demoshift.py",  # drives the field API, whose requests must see what it made
    "demo/__init__.py",  # the seed-demo command commits the seeded municipality once
}
# Converted on other branches of issue 9; remove each line when its branch lands (the test
# below fails as soon as a listed module no longer commits).
PENDING: dict[str, str] = {}


def _committing() -> dict[str, list[int]]:
    found = {}
    for path in sorted(PORTAL.rglob("*.py")):
        lines = [
            n for n, line in enumerate(path.read_text().splitlines(), 1) if COMMIT.search(line)
        ]
        if lines:
            found[path.relative_to(PORTAL).as_posix()] = lines
    return found


def _allowed(name: str) -> bool:
    return bool(ENTRY_POINTS.match(Path(name).name)) or name in RUNNERS or name in PENDING


def test_only_views_commands_jobs_and_runners_commit():
    stray = {name: lines for name, lines in _committing().items() if not _allowed(name)}
    assert not stray, "services flush and never commit; commit in the view/command/job:\n" + (
        "\n".join(f"  portal/{name}: lines {lines}" for name, lines in stray.items())
    )


def test_the_pending_list_is_not_stale():
    done = sorted(name for name in PENDING if name not in _committing())
    assert not done, f"these no longer commit; remove them from PENDING: {done}"


def test_the_grep_finds_a_commit():
    assert COMMIT.search("    session.commit()") and COMMIT.search("    commit: bool = True,")
    assert not _allowed("rollout/services.py") and _allowed("rollout/views.py")
