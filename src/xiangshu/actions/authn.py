"""Identification: turning a cookie, a bearer token or a signed request into an Actor.

This runs before any action (the edges call it) and is not itself a use case;
what the actor may then do is for the policies to decide.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError as DatabaseIntegrityError

from xiangshu.actions.context import Services
from xiangshu.crypto.sm3 import sm3_hex
from xiangshu.crypto.sm4 import DecryptionError
from xiangshu.domain.roles import Actor, ActorKind, Role
from xiangshu.domain.signing import MAX_SKEW_SECONDS, freshness_problem, sign_request
from xiangshu.errors import NotAuthenticated
from xiangshu.storage.db import Store
from xiangshu.storage.identity import roles_of
from xiangshu.storage.models import (
    ApiTokenRow,
    ApplicationRow,
    RequestNonceRow,
    UserRow,
    WebSessionRow,
)

# How often a token's last-used time is written back (not on every request).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def _user_actor(row: UserRow, roles: frozenset[Role], origin: str | None) -> Actor:
    return Actor(
        kind=ActorKind.USER,
        name=row.username,
        user_id=row.id,
        unit_id=row.unit_id,
        roles=roles,
        origin=origin,
    )


def actor_from_session(
    store: Store, services: Services, token: str, *, origin: str | None = None
) -> Actor | None:
    """The signed-in user of a browser session cookie, or None if it is not valid."""
    now = services.clock.now()
    with store.transaction(write=False) as session:
        found = session.execute(
            select(WebSessionRow, UserRow)
            .join(UserRow, UserRow.id == WebSessionRow.user_id)
            .where(WebSessionRow.token_hash == sm3_hex(token.encode()))
        ).first()
        if found is None:
            return None
        web_session, user = found
        if (
            web_session.revoked_at is not None
            or web_session.expires_at <= now
            or not user.is_active
        ):
            return None
        return _user_actor(user, roles_of(session, user.id), origin)


def actor_from_token(
    store: Store, services: Services, token: str, *, origin: str | None = None
) -> Actor:
    """The user of an API token; a bad, expired or revoked token is refused with the reason."""
    now = services.clock.now()
    with store.transaction(write=True) as session:
        found = session.execute(
            select(ApiTokenRow, UserRow)
            .join(UserRow, UserRow.id == ApiTokenRow.user_id)
            .where(ApiTokenRow.token_hash == sm3_hex(token.encode()))
        ).first()
        if found is None:
            raise NotAuthenticated("the API token is not known")
        row, user = found
        if row.revoked_at is not None:
            raise NotAuthenticated(f"the API token {row.prefix}… was revoked")
        if row.expires_at <= now:
            raise NotAuthenticated(
                f"the API token {row.prefix}… expired at {row.expires_at:%Y-%m-%d %H:%M} UTC"
            )
        if not user.is_active:
            raise NotAuthenticated("the token's user account is deactivated")
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            row.last_used_at = now
        return _user_actor(user, roles_of(session, user.id), origin)


def app_secret(services: Services, row: ApplicationRow) -> str:
    return services.keys.open(row.secret_sealed, aad=row.app_key.encode()).decode()


def actor_from_signed_request(
    store: Store,
    services: Services,
    *,
    app_key: str,
    timestamp: str,
    nonce: str,
    signature: str,
    method: str,
    path: str,
    query: str,
    body: bytes,
    origin: str | None = None,
) -> Actor:
    """The application behind a signed request; forged, stale or replayed requests are refused."""
    now = services.clock.now()
    stale = freshness_problem(timestamp, now.timestamp())
    if stale:
        raise NotAuthenticated(stale)
    if not 8 <= len(nonce) <= 64:
        raise NotAuthenticated("X-Nonce must be 8 to 64 characters")
    with store.transaction(write=True) as session:
        row = session.execute(
            select(ApplicationRow).where(ApplicationRow.app_key == app_key)
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            raise NotAuthenticated("the app key is not known or was revoked")
        try:
            secret = app_secret(services, row)
        except DecryptionError as exc:
            raise NotAuthenticated("the application's secret cannot be read on this node") from exc
        expected = sign_request(secret, method, path, query, timestamp, nonce, body)
        if not _equal(expected, signature.lower()):
            raise NotAuthenticated("the request signature does not match")
        session.execute(
            delete(RequestNonceRow).where(
                RequestNonceRow.seen_at < now - timedelta(seconds=2 * MAX_SKEW_SECONDS)
            )
        )
        try:
            with session.begin_nested():
                session.add(RequestNonceRow(app_key=app_key, nonce=nonce, seen_at=now))
        except DatabaseIntegrityError as exc:
            raise NotAuthenticated("this nonce was already used: the request is a replay") from exc
        owner = session.get(UserRow, row.owner_user_id)
        roles = frozenset({Role.UNIT_USER}) if row.unit_id else frozenset({Role.DEVELOPER})
        if owner is None or not owner.is_active:
            raise NotAuthenticated("the application's owner is deactivated")
        return Actor(
            kind=ActorKind.APP,
            name=row.name,
            app_id=row.id,
            unit_id=row.unit_id,
            roles=roles,
            origin=origin,
        )


def _equal(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode(), b.encode())
