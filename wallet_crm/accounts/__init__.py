"""Who may do what: users with passwords and roles, for a team sharing one database.

While a database has no users everything works as before (one PC, names picked from a list). Once the
first admin exists, the app asks for a log-in and the command line for `--user`; each action needs a
role (`roles.py`). Users are the agents (one table): an agent who logs in is the one who calls.
"""
