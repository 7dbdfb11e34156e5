"""Where the app keeps its files, and which database locations are safe.

Per-user folders come from `platformdirs`, so Windows, macOS and Linux each get their usual place.
A SQLite file on a network share is refused: WAL journaling needs shared memory that SMB/NFS do not
provide, and a team sharing one file that way corrupts or locks it (see shared/notes/platform.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from wallet_crm import APP_NAME
from wallet_crm.errors import DatabaseError

DB_ENV_VAR = "WALLET_CRM_DB"
DB_FILE_NAME = "wallet-crm.sqlite3"
DEMO_DB_FILE_NAME = "wallet-crm-demo.sqlite3"

NETWORK_FS_TYPES = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "9p",
        "davfs",
        "fuse.sshfs",
        "fuse.rclone",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.s3fs",
        "fuse.smbnetfs",
        "fuse.gvfsd-fuse",
    }
)


def data_dir() -> Path:
    """The per-user folder for databases (created on demand)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """The per-user folder for the rotating log."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    """The per-user folder for what the app keeps between runs that is neither data nor settings."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def export_work_dir() -> Path:
    """Exports in progress: one folder each, for XlsxWriter's temporary files and the record of the
    half-written file beside the target, so the next start can remove what a killed export left."""
    return state_dir() / "exports-in-progress"


def default_backup_dir() -> Path:
    """Where the automatic daily backups go unless the user chose another folder (a preference)."""
    return data_dir() / "backups"


def config_dir() -> Path:
    """The per-user folder for preferences that belong to the person, not the database."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_target(cli_value: str | None = None) -> str:
    """The database to open: `--db`, else `$WALLET_CRM_DB`, else the team database chosen in Settings on
    this PC, else the per-user default file."""
    if cli_value:
        return cli_value
    env_value = os.environ.get(DB_ENV_VAR, "").strip()
    if env_value:
        return env_value
    from wallet_crm.preferences import load_preferences  # here: preferences needs this module's folders

    return load_preferences().team_database or str(data_dir() / DB_FILE_NAME)


def default_demo_db_path() -> Path:
    """The demo database lives beside the real one, never inside it."""
    return data_dir() / DEMO_DB_FILE_NAME


def is_unc_path(text: str) -> bool:
    r"""True for Windows UNC paths (`\\server\share\...` or `//server/share/...`)."""
    return text.startswith(("\\\\", "//")) and len(text.strip("\\/")) > 0


def mount_fs_type(path: Path, mounts_text: str) -> str | None:
    """The file-system type of the mount that holds `path`, from `/proc/mounts`-format text."""
    best_point, best_type = "", None
    target = str(path)
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best_point):
            best_point, best_type = point, fields[2]
    return best_type


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    drive = path.drive
    if not drive:
        return False
    drive_remote = 4
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    return bool(kernel32.GetDriveTypeW(drive + "\\") == drive_remote)


def check_local_path(path: Path, mounts_file: Path = Path("/proc/mounts")) -> None:
    """Refuse a SQLite file on a network share, with a message that says what to do instead."""
    text = str(path)
    remote = is_unc_path(text)
    if not remote and sys.platform == "win32":
        remote = _windows_drive_is_remote(path.resolve())
    if not remote and mounts_file.exists():
        existing = path.resolve()
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        fs_type = mount_fs_type(existing, mounts_file.read_text(encoding="utf-8", errors="replace"))
        remote = fs_type in NETWORK_FS_TYPES
    if remote:
        raise DatabaseError(code="db.network_share", database=str(path))
