"""Use cases for user accounts, sign-in, API tokens and applications."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from sqlalchemy import select

from xiangshu.actions.context import ActionContext
from xiangshu.actions.registry import action
from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.domain.credentials import (
    APP_KEY_PREFIX,
    SESSION_PREFIX,
    TOKEN_PREFIX,
    LockoutPolicy,
    password_problem,
)
from xiangshu.domain.roles import Role
from xiangshu.errors import Conflict, InvalidInput, NotFound, Problem, invalid
from xiangshu.schemas.identity import (
    AppCreate,
    AppIssued,
    AppPublic,
    LoginResult,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from xiangshu.storage.identity import set_roles, user_by_name, user_public
from xiangshu.storage.models import (
    ApiTokenRow,
    ApplicationRow,
    UnitRow,
    UserRow,
    WebSessionRow,
)


def _user(ctx: ActionContext, user_id: uuid.UUID) -> UserRow:
    row = ctx.session.get(UserRow, user_id)
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return row


def _unit_problems(
    ctx: ActionContext, unit_id: uuid.UUID | None, roles: frozenset[Role]
) -> list[Problem]:
    problems = []
    if unit_id is not None and ctx.session.get(UnitRow, unit_id) is None:
        problems.append(Problem(f"no unit with id {unit_id}", field="unit_id"))
    if unit_id is None and any(role.needs_unit for role in roles):
        needing = ", ".join(sorted(r.label_zh for r in roles if r.needs_unit))
        problems.append(
            Problem(f"the roles {needing} belong to a unit; choose one", field="unit_id")
        )
    if not roles:
        problems.append(Problem("a user needs at least one role", field="roles"))
    return problems


@action(event="identity:user:create")
def user_create(ctx: ActionContext, data: UserCreate) -> UserPublic:
    """Create a user account in a unit with its roles."""
    ctx.authorize(unit_id=data.unit_id, roles=data.roles)
    problems = _unit_problems(ctx, data.unit_id, data.roles)
    weak = password_problem(
        data.password.get_secret_value(),
        username=data.username,
        min_length=ctx.settings.password_min_length,
    )
    if weak:
        problems.append(Problem(weak, field="password"))
    if user_by_name(ctx.session, data.username) is not None:
        problems.append(Problem("this user name is taken", field="username", value=data.username))
    if problems:
        raise invalid(problems, f"user {data.username} cannot be created")
    row = UserRow(
        username=data.username.lower(),
        display_name=data.display_name,
        unit_id=data.unit_id,
        email=data.email,
        password_hash=ctx.services.passwords.hash(data.password.get_secret_value()),
        password_changed_at=ctx.now,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    set_roles(ctx.session, row.id, data.roles)
    ctx.target("user", row.id)
    ctx.detail(username=row.username, unit_id=data.unit_id, roles=sorted(data.roles))
    return user_public(ctx.session, row)


@action(event="identity:user:set_roles")
def user_set_roles(ctx: ActionContext, user_id: uuid.UUID, roles: frozenset[Role]) -> UserPublic:
    """Replace a user's roles; the event keeps the roles before and after."""
    row = _user(ctx, user_id)
    ctx.authorize(unit_id=row.unit_id, roles=roles)
    problems = _unit_problems(ctx, row.unit_id, roles)
    if problems:
        raise invalid(problems)
    before = sorted(user_public(ctx.session, row).roles)
    set_roles(ctx.session, row.id, roles)
    ctx.target("user", row.id)
    ctx.detail(before=before, after=sorted(roles))
    return user_public(ctx.session, row)


@action(event="identity:user:deactivate")
def user_deactivate(ctx: ActionContext, user_id: uuid.UUID) -> UserPublic:
    """Deactivate an account and end its browser sessions."""
    row = _user(ctx, user_id)
    ctx.authorize(unit_id=row.unit_id)
    row.is_active = False
    for session_row in ctx.session.execute(
        select(WebSessionRow).where(
            WebSessionRow.user_id == row.id, WebSessionRow.revoked_at.is_(None)
        )
    ).scalars():
        session_row.revoked_at = ctx.now
    ctx.target("user", row.id)
    return user_public(ctx.session, row)


@action(event="identity:user:unlock")
def user_unlock(ctx: ActionContext, user_id: uuid.UUID) -> UserPublic:
    """Clear a lockout after too many wrong passwords."""
    row = _user(ctx, user_id)
    ctx.authorize(unit_id=row.unit_id)
    row.failed_logins = 0
    row.locked_until = None
    ctx.target("user", row.id)
    return user_public(ctx.session, row)


@action(event=None, writes=False)
def user_list(ctx: ActionContext, *, unit_id: uuid.UUID | None = None) -> list[UserPublic]:
    """User accounts, optionally of one unit."""
    ctx.authorize(unit_id=unit_id)
    query = select(UserRow).order_by(UserRow.username)
    if unit_id is not None:
        query = query.where(UserRow.unit_id == unit_id)
    return [user_public(ctx.session, r) for r in ctx.session.execute(query).scalars()]


@action(event=None, writes=False)
def user_show(ctx: ActionContext, username: str) -> UserPublic:
    """One user account by name."""
    row = user_by_name(ctx.session, username)
    if row is None:
        ctx.authorize(user_id=uuid.UUID(int=0), unit_id=None)
        raise NotFound(f"no user named {username}")
    ctx.authorize(user_id=row.id, unit_id=row.unit_id)
    return user_public(ctx.session, row)


@action(event="identity:user:set_password")
def user_set_password(
    ctx: ActionContext,
    user_id: uuid.UUID,
    new_password: str,
    *,
    current_password: str | None = None,
) -> None:
    """Change a password (own, with the current one) or reset it (administrators)."""
    row = _user(ctx, user_id)
    ctx.authorize(user_id=user_id)
    own = ctx.actor.user_id == user_id
    if own and not ctx.services.passwords.verify(row.password_hash, current_password or ""):
        raise InvalidInput(
            "the current password is wrong",
            problems=[Problem("the current password is wrong", field="current_password")],
        )
    weak = password_problem(
        new_password, username=row.username, min_length=ctx.settings.password_min_length
    )
    if weak:
        raise invalid([Problem(weak, field="new_password")])
    row.password_hash = ctx.services.passwords.hash(new_password)
    row.password_changed_at = ctx.now
    row.failed_logins = 0
    row.locked_until = None
    ctx.target("user", row.id)
    ctx.detail(by="self" if own else "administrator")


@action(event="identity:session:create")
def session_create(ctx: ActionContext, username: str, password: str) -> LoginResult:
    """Sign in. A wrong password is a committed result, so failures count toward lockout."""
    ctx.authorize()
    lockout = LockoutPolicy(
        ctx.settings.login_max_failures, timedelta(minutes=ctx.settings.login_lockout_minutes)
    )
    row = user_by_name(ctx.session, username)
    ctx.detail(username=username.strip().lower()[:64])
    if row is None:
        ctx.services.passwords.verify_nobody(password)
        ctx.note.outcome = "failed"
        return LoginResult(ok=False, reason="wrong_credentials")
    ctx.target("user", row.id)
    if lockout.is_locked(row.locked_until, ctx.now):
        ctx.note.outcome = "locked"
        return LoginResult(ok=False, reason="locked", locked_until=row.locked_until)
    if not ctx.services.passwords.verify(row.password_hash, password):
        row.failed_logins, row.locked_until = lockout.after_failure(row.failed_logins, ctx.now)
        ctx.note.outcome = "failed"
        ctx.detail(failures=row.failed_logins)
        if row.locked_until is not None:
            ctx.note.outcome = "locked"
            return LoginResult(ok=False, reason="locked", locked_until=row.locked_until)
        return LoginResult(ok=False, reason="wrong_credentials")
    if not row.is_active:
        ctx.note.outcome = "failed"
        return LoginResult(ok=False, reason="inactive")
    row.failed_logins = 0
    row.locked_until = None
    row.last_login_at = ctx.now
    if ctx.services.passwords.needs_rehash(row.password_hash):
        row.password_hash = ctx.services.passwords.hash(password)
    token = SESSION_PREFIX + secrets.token_urlsafe(32)
    expires = ctx.now + timedelta(hours=ctx.settings.session_hours)
    ctx.session.add(
        WebSessionRow(
            user_id=row.id,
            token_hash=sm3_hex(token.encode()),
            expires_at=expires,
            created_at=ctx.now,
        )
    )
    return LoginResult(
        ok=True, user=user_public(ctx.session, row), session_token=token, expires_at=expires
    )


@action(event="identity:session:revoke")
def session_revoke(ctx: ActionContext, session_token: str) -> None:
    """Sign out: end a browser session."""
    ctx.authorize()
    row = ctx.session.execute(
        select(WebSessionRow).where(WebSessionRow.token_hash == sm3_hex(session_token.encode()))
    ).scalar_one_or_none()
    if row is not None and row.user_id == ctx.actor.user_id and row.revoked_at is None:
        row.revoked_at = ctx.now
        ctx.target("session", row.id)


@action(event="identity:token:create")
def token_create(ctx: ActionContext, user_id: uuid.UUID, data: TokenCreate) -> TokenIssued:
    """Issue an API token (shown once; only its SM3 hash is kept)."""
    ctx.authorize(user_id=user_id)
    user = _user(ctx, user_id)
    if data.days > ctx.settings.api_token_max_days:
        raise invalid(
            [Problem(f"a token lasts at most {ctx.settings.api_token_max_days} days", field="days")]
        )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiTokenRow(
        user_id=user.id,
        name=data.name,
        token_hash=sm3_hex(token.encode()),
        prefix=token[:10],
        expires_at=ctx.now + timedelta(days=data.days),
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("token", row.id)
    ctx.detail(name=data.name, expires_at=row.expires_at, user=user.username)
    return TokenIssued(**TokenPublic.model_validate(row).model_dump(), token=token)


@action(event="identity:token:revoke")
def token_revoke(ctx: ActionContext, token_id: uuid.UUID) -> TokenPublic:
    """Revoke an API token."""
    row = ctx.session.get(ApiTokenRow, token_id)
    ctx.authorize(user_id=row.user_id if row else uuid.UUID(int=0))
    if row is None:
        raise NotFound(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = ctx.now
    ctx.target("token", row.id)
    return TokenPublic.model_validate(row)


@action(event=None, writes=False)
def token_list(ctx: ActionContext, user_id: uuid.UUID) -> list[TokenPublic]:
    """A user's API tokens (never the tokens themselves)."""
    ctx.authorize(user_id=user_id)
    rows = ctx.session.execute(
        select(ApiTokenRow).where(ApiTokenRow.user_id == user_id).order_by(ApiTokenRow.created_at)
    ).scalars()
    return [TokenPublic.model_validate(r) for r in rows]


@action(event="identity:app:create")
def app_create(ctx: ActionContext, owner_user_id: uuid.UUID, data: AppCreate) -> AppIssued:
    """Register an application (AppKey + AppSecret); the secret is sealed with SM4."""
    ctx.authorize(owner_user_id=owner_user_id)
    owner = _user(ctx, owner_user_id)
    clash = ctx.session.execute(
        select(ApplicationRow.id).where(
            ApplicationRow.owner_user_id == owner.id,
            ApplicationRow.name == data.name,
            ApplicationRow.revoked_at.is_(None),
        )
    ).first()
    if clash:
        raise Conflict(f"you already have an application named {data.name}")
    secret = secrets.token_urlsafe(32)
    app_key = APP_KEY_PREFIX + secrets.token_hex(12)
    row = ApplicationRow(
        name=data.name,
        description=data.description,
        app_key=app_key,
        secret_sealed=ctx.services.keys.seal(secret.encode(), aad=app_key.encode()),
        owner_user_id=owner.id,
        unit_id=owner.unit_id,
        created_at=ctx.now,
    )
    ctx.session.add(row)
    ctx.session.flush()
    ctx.target("app", row.id)
    ctx.detail(name=data.name, app_key=app_key)
    return AppIssued(**AppPublic.model_validate(row).model_dump(), app_secret=secret)


@action(event="identity:app:revoke")
def app_revoke(ctx: ActionContext, app_id: uuid.UUID) -> AppPublic:
    """Revoke an application: its signed requests are refused from now on."""
    row = ctx.session.get(ApplicationRow, app_id)
    ctx.authorize(owner_user_id=row.owner_user_id if row else uuid.UUID(int=0))
    if row is None:
        raise NotFound(f"no application with id {app_id}")
    if row.revoked_at is None:
        row.revoked_at = ctx.now
    ctx.target("app", row.id)
    return AppPublic.model_validate(row)


@action(event=None, writes=False)
def app_list(ctx: ActionContext, owner_user_id: uuid.UUID) -> list[AppPublic]:
    """The applications a user owns."""
    ctx.authorize(owner_user_id=owner_user_id)
    rows = ctx.session.execute(
        select(ApplicationRow)
        .where(ApplicationRow.owner_user_id == owner_user_id)
        .order_by(ApplicationRow.created_at)
    ).scalars()
    return [AppPublic.model_validate(r) for r in rows]
