"""A staff account for survey tests: made with `flask create-admin` (the way an office makes
one) and signed in through the login form, over Flask's test client."""
from __future__ import annotations

PASSWORD = "correct horse battery"


def login(app, name: str, community: str | None = None):
    """A test client signed in as `name` (an administrator, or `community`'s own staff)."""
    args = ["create-admin", name, "--password-stdin"] + (["--community", community] if community else [])
    assert app.test_cli_runner().invoke(args=args, input=PASSWORD + "\n").exit_code == 0
    client = app.test_client()
    assert client.post("/survey/admin/login", data={"name": name, "password": PASSWORD}).status_code == 303
    return client
