"""Development logins printed by `make run`: a password from the environment, remembered, or new.

A password someone chose (in the admin, with createsuperuser) is never overwritten.
"""

import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Login:
    username: str
    password: str | None  # None: the account has a password of its own choosing, kept
    source: str

    def describe(self, role: str) -> str:
        if self.password is None:
            return f"{role} login: user '{self.username}' (password unchanged)."
        return f"{role} login: user '{self.username}', password '{self.password}' ({self.source})."


def ensure_password(user, *, password_file: Path, from_environment: str = "", env_name: str = ""):
    """Give `user` a password to print: from the environment, the remembered one, or a new one.

    A generated password is kept in `password_file` (git-ignored), so the next run prints the
    same. An account whose password is neither of these keeps it.
    """
    if from_environment:
        if not user.check_password(from_environment):
            user.set_password(from_environment)
            user.save(update_fields=["password"])
        return Login(user.get_username(), from_environment, env_name)
    remembered = password_file.read_text().strip() if password_file.exists() else ""
    if remembered and user.check_password(remembered):
        return Login(user.get_username(), remembered, password_file.name)
    if user.has_usable_password():
        return Login(user.get_username(), None, "")
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    password_file.write_text(password + "\n")
    password_file.chmod(0o600)
    return Login(user.get_username(), password, "generated")
