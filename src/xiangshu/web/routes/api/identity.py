"""/api/v1: the signed-in account, users, API tokens and applications."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response
from pydantic import BaseModel

from xiangshu.actions.identity import (
    app_create,
    app_list,
    app_revoke,
    token_create,
    token_list,
    token_revoke,
    user_create,
    user_deactivate,
    user_list,
    user_set_roles,
    user_show,
    user_unlock,
)
from xiangshu.domain.roles import Actor, Role
from xiangshu.errors import NotAuthenticated
from xiangshu.schemas.identity import (
    AppCreate,
    AppIssued,
    AppPublic,
    TokenCreate,
    TokenIssued,
    TokenPublic,
    UserCreate,
    UserPublic,
)
from xiangshu.web.deps import ActorDep, NodeDep

router = APIRouter(tags=["identity"])


class Me(BaseModel):
    kind: str
    name: str
    user_id: uuid.UUID | None
    unit_id: uuid.UUID | None
    app_id: uuid.UUID | None
    roles: list[Role]


class RolesUpdate(BaseModel):
    roles: list[Role]


def _user_id(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise NotAuthenticated("sign in as a user (session or API token)")
    return actor.user_id


@router.get("/me", response_model=Me)
def who_am_i(actor: ActorDep) -> Me:
    """The identity the node sees for this request."""
    return Me(
        kind=actor.kind.value,
        name=actor.name,
        user_id=actor.user_id,
        unit_id=actor.unit_id,
        app_id=actor.app_id,
        roles=sorted(actor.roles),
    )


@router.get("/me/tokens", response_model=list[TokenPublic])
def my_tokens(node: NodeDep, actor: ActorDep) -> list[TokenPublic]:
    return node.dispatcher.run(token_list, actor, _user_id(actor))


@router.post("/me/tokens", response_model=TokenIssued, status_code=201)
def issue_token(node: NodeDep, actor: ActorDep, data: TokenCreate) -> TokenIssued:
    """Issue an API token; the token itself is shown only in this answer."""
    return node.dispatcher.run(token_create, actor, _user_id(actor), data)


@router.delete("/me/tokens/{token_id}", status_code=204)
def revoke_token(node: NodeDep, actor: ActorDep, token_id: uuid.UUID) -> Response:
    node.dispatcher.run(token_revoke, actor, token_id)
    return Response(status_code=204)


@router.get("/me/apps", response_model=list[AppPublic])
def my_apps(node: NodeDep, actor: ActorDep) -> list[AppPublic]:
    return node.dispatcher.run(app_list, actor, _user_id(actor))


@router.post("/me/apps", response_model=AppIssued, status_code=201)
def register_app(node: NodeDep, actor: ActorDep, data: AppCreate) -> AppIssued:
    """Register an application; its secret is shown only in this answer."""
    return node.dispatcher.run(app_create, actor, _user_id(actor), data)


@router.delete("/me/apps/{app_id}", status_code=204)
def revoke_app(node: NodeDep, actor: ActorDep, app_id: uuid.UUID) -> Response:
    node.dispatcher.run(app_revoke, actor, app_id)
    return Response(status_code=204)


@router.get("/users", response_model=list[UserPublic])
def list_users(
    node: NodeDep, actor: ActorDep, unit_id: uuid.UUID | None = None
) -> list[UserPublic]:
    return node.dispatcher.run(user_list, actor, unit_id=unit_id)


@router.post("/users", response_model=UserPublic, status_code=201)
def create_user(node: NodeDep, actor: ActorDep, data: UserCreate) -> UserPublic:
    return node.dispatcher.run(user_create, actor, data)


@router.get("/users/{username}", response_model=UserPublic)
def get_user(node: NodeDep, actor: ActorDep, username: str) -> UserPublic:
    return node.dispatcher.run(user_show, actor, username)


@router.put("/users/{user_id}/roles", response_model=UserPublic)
def set_user_roles(
    node: NodeDep, actor: ActorDep, user_id: uuid.UUID, data: RolesUpdate
) -> UserPublic:
    return node.dispatcher.run(user_set_roles, actor, user_id, frozenset(data.roles))


@router.post("/users/{user_id}/deactivate", response_model=UserPublic)
def deactivate_user(node: NodeDep, actor: ActorDep, user_id: uuid.UUID) -> UserPublic:
    return node.dispatcher.run(user_deactivate, actor, user_id)


@router.post("/users/{user_id}/unlock", response_model=UserPublic)
def unlock_user(node: NodeDep, actor: ActorDep, user_id: uuid.UUID) -> UserPublic:
    return node.dispatcher.run(user_unlock, actor, user_id)
