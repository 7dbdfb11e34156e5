"""The team server check: what a PC finds on the server it is pointed at, without changing anything."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests import postgres
from wallet_crm.db import close_database, open_database
from wallet_crm.db.team import TeamServer, check_team_server
from wallet_crm.errors import DatabaseError


def server_of(url: str) -> TeamServer:
    parts = urlparse(url)
    return TeamServer(parts.hostname or "", parts.port or 5432, parts.path.lstrip("/"), parts.username or "")


@pytest.fixture
def unused_port() -> int:
    return postgres.free_port()


def test_the_check_reads_an_empty_database_then_ours_and_changes_nothing(pg_url: str) -> None:
    server = server_of(pg_url)
    assert server.url() == pg_url
    empty = check_team_server(server)
    assert empty.schema_version == 0 and empty.server_version[:2].isdigit()
    assert check_team_server(server).schema_version == 0  # the check created nothing
    open_database(pg_url)
    close_database()
    assert check_team_server(server).schema_version >= 8


def test_a_server_that_is_not_there_is_one_line(unused_port: int) -> None:
    with pytest.raises(DatabaseError, match="Can't connect to postgresql://"):
        check_team_server(TeamServer("127.0.0.1", unused_port, "wallet_crm", "nobody"))
