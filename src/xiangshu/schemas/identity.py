"""Shapes of users, sessions, tokens and applications."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from xiangshu.domain.roles import Role

USERNAME_PATTERN = r"^[a-z][a-z0-9_.-]{2,63}$"


class UserCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    username: str = Field(pattern=USERNAME_PATTERN, description="login name, lower case")
    display_name: str = Field(min_length=1, max_length=100)
    unit_id: uuid.UUID | None = None
    email: str | None = None
    password: SecretStr
    roles: frozenset[Role] = frozenset({Role.UNIT_USER})


class UserPublic(BaseModel):
    id: uuid.UUID
    username: str
    display_name: str
    unit_id: uuid.UUID | None
    unit_name: str | None = None
    roles: list[Role]
    is_active: bool
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    created_at: datetime


class LoginResult(BaseModel):
    """The outcome of a sign-in attempt; a failure is committed (with its audit event)."""

    ok: bool
    reason: str | None = None  # wrong_credentials | locked | inactive
    user: UserPublic | None = None
    session_token: str | None = None  # only on success, only once
    expires_at: datetime | None = None
    locked_until: datetime | None = None


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    days: int = Field(default=30, ge=1)


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenIssued(TokenPublic):
    token: str  # shown once


class AppCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = ""


class AppPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    app_key: str
    owner_user_id: uuid.UUID
    unit_id: uuid.UUID | None
    created_at: datetime
    revoked_at: datetime | None


class AppIssued(AppPublic):
    app_secret: str  # shown once
