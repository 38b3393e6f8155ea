"""Named pause points for the crash tests: a test stops accord there and kills it (SIGKILL).

Inert unless $ACCORD_PAUSE_AT names the point: then accord writes $ACCORD_PAUSE_MARKER (a file the
test waits for) and sleeps, in the middle of its transaction, until it is killed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def pause_point(name: str) -> None:
    if os.environ.get("ACCORD_PAUSE_AT") != name:
        return
    marker = os.environ.get("ACCORD_PAUSE_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    time.sleep(3600)
