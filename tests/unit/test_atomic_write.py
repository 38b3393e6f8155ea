"""Output files are written all at once through a temporary file; a failure names the file the user
gave, never the temporary one, and leaves neither a temporary file nor a half-written result."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
import typer

from accord.cli.options import output_file, output_folder
from accord.scenario.files import write_atomically, write_text_atomically


def test_a_failed_write_names_the_path_given_and_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("old\n")

    def fails(temporary: Path) -> None:
        temporary.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device", str(temporary))

    with pytest.raises(OSError) as raised:
        write_atomically(target, fails)
    assert (raised.value.errno, raised.value.filename) == (errno.ENOSPC, str(target))
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml"], "the temporary file is removed"


def test_a_folder_that_refuses_the_file_is_named_by_the_path_given() -> None:
    target = Path("/sys/x.yaml")  # sysfs takes no new file, not even from root
    with pytest.raises(OSError) as raised:
        write_text_atomically(target, "a: 1\n")
    assert raised.value.filename == str(target)
    assert not list(target.parent.glob(".x.yaml*"))


def test_a_write_that_succeeds_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    target.write_text("old\n")
    write_text_atomically(target, "new\n")
    assert target.read_text() == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.yaml"]


@pytest.mark.parametrize(
    ("make", "check", "expected"),
    [
        (None, output_file, None),
        ("file", output_file, "ok"),
        ("folder", output_file, "is a folder; expected a file name"),
        ("new", output_file, "ok"),
        ("in-missing-folder", output_file, "no folder"),
        ("under-a-file", output_file, "is a file, not a folder"),
        (None, output_folder, None),
        ("folder", output_folder, "ok"),
        ("file", output_folder, "is a file; expected a folder"),
        ("new", output_folder, "ok"),
        ("in-missing-folder", output_folder, "no folder"),
        ("under-a-file", output_folder, "is a file, not a folder"),
    ],
)
def test_output_files_and_folders_are_checked_by_one_rule(
    make: str | None, check: object, expected: str | None, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    value = {
        None: None,
        "file": tmp_path / "a-file",
        "folder": tmp_path / "a-folder",
        "new": tmp_path / "new",
        "in-missing-folder": tmp_path / "missing" / "new",
        "under-a-file": tmp_path / "a-file" / "new",
    }[make]
    assert callable(check)
    if expected is None or expected == "ok":
        assert check(value) == value
        return
    with pytest.raises(typer.BadParameter, match=expected):
        check(value)
