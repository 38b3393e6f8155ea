"""Checkpoints on a schedule: `accord serve --checkpoint-every MINUTES --checkpoint-dir DIR`.

A background task of the app's lifespan signs the audit chain's head every few minutes into
``DIR/checkpoint-NNNNNNNN.txt`` (by entry count; nothing new is written while the log does not grow),
for an operator to publish or mail. With ``--workers N`` every process runs the task; each count is
written once (the file is created exclusively).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import anyio
import anyio.to_thread

from accord import keys
from accord.errors import CheckpointError
from accord.services import audit
from accord.storage.database import Database

logger = logging.getLogger("accord.checkpoints")


@dataclass(frozen=True)
class CheckpointSchedule:
    folder: Path
    every: float  # seconds
    key: keys.KeyFile


def schedule(folder: Path, every_minutes: float, key_path: Path) -> CheckpointSchedule:
    """The schedule, its key loaded and its folder made now (so a bad setting stops the server before it
    serves, with a one-line error)."""
    key = keys.load(key_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CheckpointError(f"cannot create checkpoint folder {folder}: {error.strerror}") from None
    return CheckpointSchedule(folder, every_minutes * 60, key)


async def take_checkpoints(database: Database, plan: CheckpointSchedule) -> None:
    """Forever (until the app stops): a checkpoint now, then one every ``plan.every`` seconds."""
    while True:
        try:
            written = await anyio.to_thread.run_sync(audit.write_checkpoint, database, plan.key, plan.folder)
            if written is not None:
                logger.info("audit checkpoint written: %s", written)
        except Exception:  # a failed checkpoint must not stop the server; the next one tries again
            logger.exception("audit checkpoint not written")
        await anyio.sleep(plan.every)
