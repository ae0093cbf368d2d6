"""`flask users create-organizer` and `flask users list`: the first organizer comes from the command line."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User


def create(runner, email="kadis@pasuruankab.go.id", name="Dinas Koperasi", password="kopdes-merah-putih", again=None):
    return runner.invoke(
        args=["users", "create-organizer", "--email", email, "--name", name],
        input=f"{password}\n{again if again is not None else password}\n",
    )


def test_officer_creates_the_first_organizer_with_a_hidden_password(runner):
    result = create(runner)
    assert result.exit_code == 0, result.output
    assert "kopdes-merah-putih" not in result.output  # the prompt does not echo it
    user = db.session.scalar(select(User).where(User.email == "kadis@pasuruankab.go.id"))
    assert user.role == Role.ORGANIZER and user.check_password("kopdes-merah-putih")
    assert user.password_hash != "kopdes-merah-putih"


@pytest.mark.parametrize(
    "email, password, again, message",
    [
        ("kadis@pasuruankab.go.id", "pendek", None, "10 karakter"),
        ("kadis@pasuruankab.go.id", "kadis@pasuruankab.go.id", None, "alamat email"),
        ("bukan-email", "kopdes-merah-putih", None, "email tidak valid"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_a_non_zero_exit(runner, email, password, again, message):
    result = create(runner, email=email, password=password, again=again)
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(User)) is None


def test_the_password_is_asked_twice_and_must_match(runner):
    result = runner.invoke(
        args=["users", "create-organizer", "--email", "a@example.org", "--name", "A"],
        input="kopdes-merah-putih\nlain-sekali-123\nkopdes-merah-putih\nkopdes-merah-putih\n",
    )
    assert result.exit_code == 0
    assert "Error: The two entered values do not match." in result.output


def test_an_email_cannot_have_two_accounts(runner):
    assert create(runner).exit_code == 0
    result = create(runner, email="KADIS@pasuruankab.go.id")
    assert result.exit_code != 0
    assert "sudah ada" in result.output


def test_users_list_shows_role_state_and_last_login(runner):
    create(runner)
    result = runner.invoke(args=["users", "list"])
    assert result.exit_code == 0
    assert "kadis@pasuruankab.go.id\torganizer\tDinas Koperasi\tactive\tlast login -" in result.output
