"""`bibob user …`: accounts from the command line; the password is read, never printed."""

from __future__ import annotations

import io

import pytest
from argon2 import PasswordHasher

from bibob.exceptions import InvalidInputError
from service.cli import main
from service.store import accounts
from service.store.engine import create_engine_for
from service.store.migrate import migrate
from service.web.settings import WebSettings

SECRET = "een-geheim-van-lengte"


@pytest.fixture
def database(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    migrate(url)
    monkeypatch.setenv("BIBOB_DATABASE_URL", url)
    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return url


def run(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    out = io.StringIO()
    return main(list(argv), out), out.getvalue()


def test_user_create_reads_the_password_from_stdin_and_prints_nothing_secret(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, output = run(
        monkeypatch, SECRET + "\n", "user", "create", "--name", "vv-9", "--role", "permitOfficer", "--password-stdin"
    )
    assert (status, output) == (0, "Gebruiker vv-9 aangemaakt met de rol vergunningverlener.\n")
    engine = create_engine_for(database)
    with engine.connect() as conn:
        assert accounts.authenticate(conn, "vv-9", SECRET) is not None
    engine.dispose()


def test_user_create_asks_twice_without_echo_and_refuses_a_mismatch(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([SECRET, SECRET + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    status, output = run(monkeypatch, "", "user", "create", "--name", "vv-9", "--role", "mayor")
    assert status == 2 and "verschillen" in output and SECRET not in output


def test_user_create_names_every_problem_and_an_unknown_role(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    status, output = run(
        monkeypatch, "kort\n", "user", "create", "--name", "jan de vries", "--role", "mayor", "--password-stdin"
    )
    assert status == 2 and output.startswith("name: ") and "password: " in output and "kort" not in output
    status, output = run(monkeypatch, "", "user", "create", "--name", "x", "--role", "koning", "--password-stdin")
    assert status == 2 and "Onbekende rol" in output


def test_user_disable_ends_the_account(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    run(monkeypatch, SECRET + "\n", "user", "create", "--name", "vv-9", "--role", "mayor", "--password-stdin")
    assert run(monkeypatch, "", "user", "disable", "--name", "vv-9")[0] == 0
    assert run(monkeypatch, "", "user", "disable", "--name", "vv-9")[0] == 1


def test_web_settings_read_the_session_limits_and_refuse_nonsense() -> None:
    settings = WebSettings.from_env({"BIBOB_SESSION_IDLE_MINUTES": "15", "BIBOB_SECURE_COOKIE": "ja"})
    assert (settings.limits.idle.total_seconds(), settings.limits.absolute.total_seconds()) == (900, 36_000)
    assert settings.secure_cookie
    with pytest.raises(InvalidInputError) as refused:
        WebSettings.from_env({"BIBOB_SESSION_IDLE_MINUTES": "0", "BIBOB_SESSION_MAX_HOURS": "veel"})
    assert [p.pointer for p in refused.value.problems] == ["BIBOB_SESSION_IDLE_MINUTES", "BIBOB_SESSION_MAX_HOURS"]


def test_user_demo_prints_one_account_per_role_that_signs_in(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    status, output = run(monkeypatch, "", "user", "demo", "--port", "8123")
    lines = output.splitlines()
    assert status == 0 and lines[0].startswith("Aanmelden op http://127.0.0.1:8123/aanmelden")
    assert len(lines) == 1 + len(accounts.DEMO_ACCOUNTS)
    name, password = lines[1].split()[-2:]
    engine = create_engine_for(database)
    with engine.connect() as conn:
        assert accounts.authenticate(conn, name, password) is not None
    engine.dispose()


def test_the_templates_and_static_files_live_inside_the_package_so_the_wheel_ships_them() -> None:
    from service.web.plugin import STATIC, TEMPLATES

    assert (TEMPLATES / "base.html").is_file() and (STATIC / "vendor" / "README.md").is_file()
    assert "src/service/web" in TEMPLATES.as_posix()
