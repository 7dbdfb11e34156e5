"""Where files go, and refusing network shares for SQLite."""

from __future__ import annotations

from pathlib import Path

import pytest

from wallet_crm.errors import DatabaseError
from wallet_crm.paths import (
    DB_FILE_NAME,
    check_local_path,
    data_dir,
    default_db_target,
    is_unc_path,
    mount_fs_type,
)

MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/finance /mnt/finance cifs rw,vers=3.0 0 0
nas:/export/crm /srv/crm nfs4 rw 0 0
/dev/vdb1 /srv/crm/local ext4 rw 0 0
"""


def test_unc_paths_are_recognised() -> None:
    assert is_unc_path(r"\\server\share\crm.sqlite3")
    assert is_unc_path("//server/share/crm.sqlite3")
    assert not is_unc_path(r"C:\Users\me\crm.sqlite3")
    assert not is_unc_path("/home/me/crm.sqlite3")


def test_mount_type_is_the_longest_matching_mount_point() -> None:
    assert mount_fs_type(Path("/mnt/finance/crm.sqlite3"), MOUNTS) == "cifs"
    assert mount_fs_type(Path("/srv/crm/team.sqlite3"), MOUNTS) == "nfs4"
    assert mount_fs_type(Path("/srv/crm/local/a.sqlite3"), MOUNTS) == "ext4"
    assert mount_fs_type(Path("/srv/crmx/a.sqlite3"), MOUNTS) == "ext4"


def test_a_file_on_a_network_mount_is_refused(tmp_path: Path) -> None:
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda1 / ext4 rw 0 0\nserver:/x {tmp_path} nfs rw 0 0\n", encoding="utf-8")
    with pytest.raises(DatabaseError, match="network share"):
        check_local_path(tmp_path / "crm.sqlite3", mounts_file=mounts)
    local = tmp_path / "local-mounts"
    local.write_text("/dev/vda1 / ext4 rw 0 0\n", encoding="utf-8")
    check_local_path(tmp_path / "crm.sqlite3", mounts_file=local)


def test_a_unc_path_is_refused_before_anything_is_created() -> None:
    with pytest.raises(DatabaseError, match="network share"):
        check_local_path(Path("//server/share/crm.sqlite3"))


def test_db_target_prefers_the_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch, user_folders: Path) -> None:
    assert default_db_target(None) == str(data_dir() / DB_FILE_NAME)
    assert str(user_folders) in default_db_target(None)
    monkeypatch.setenv("WALLET_CRM_DB", "/tmp/from-env.sqlite3")
    assert default_db_target(None) == "/tmp/from-env.sqlite3"
    assert default_db_target("/tmp/from-flag.sqlite3") == "/tmp/from-flag.sqlite3"
