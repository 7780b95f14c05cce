"""Rendering portal pages: one Jinja environment, per-request language and identity."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from xiangshu import __version__
from xiangshu.domain.roles import ROLE_LABELS_ZH, Actor, Role
from xiangshu.errors import XiangshuError
from xiangshu.web.deps import CSRF_COOKIE, LANG_COOKIE, csrf_token, language
from xiangshu.web.i18n import LANGUAGE_NAMES, LANGUAGES, translator
from xiangshu.web.nav import nav_for

TEMPLATES = Path(__file__).parent / "templates"
ROLE_LABELS_EN = {
    Role.PLATFORM_ADMIN: "Platform administrator",
    Role.DATA_STEWARD: "Data steward",
    Role.UNIT_USER: "Unit user",
    Role.AUDITOR: "Auditor",
    Role.SHARING_AUTHORITY: "Sharing authority",
    Role.PLAN_OFFICER: "Plan officer",
    Role.DEVELOPER: "Developer",
}


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["LANGUAGES"] = LANGUAGES
    env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES
    return env


def _role_label(lang: str) -> Any:
    def label(role: str) -> str:
        found = Role(role)
        return ROLE_LABELS_ZH[found] if lang == "zh-CN" else ROLE_LABELS_EN[found]

    return label


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    actor: Actor | None = None,
) -> HTMLResponse:
    lang = language(request)
    gettext = translator(lang)
    node = request.app.state.node
    values: dict[str, Any] = {
        "request": request,
        "_": gettext,
        "lang": lang,
        "actor": actor or getattr(request.state, "actor", None),
        "csrf_token": csrf_token(request),
        "node_name": getattr(request.app.state, "node_name", None)
        or gettext("Xiangshu data platform"),
        "role_label": _role_label(lang),
        "path": request.url.path,
        "settings": node.settings,
    }
    values["nav"] = nav_for(values["actor"])
    values.update(context or {})
    html = environment().get_template(template).render(values)
    response = HTMLResponse(html, status_code=status)
    _remember(request, response, lang)
    return response


def _remember(request: Request, response: HTMLResponse, lang: str) -> None:
    secure = request.url.scheme == "https"
    new_csrf = request.state.__dict__.get("new_csrf")
    if new_csrf:
        response.set_cookie(CSRF_COOKIE, new_csrf, httponly=True, samesite="strict", secure=secure)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", secure=secure
        )


def render_error(request: Request, error: XiangshuError, status: int) -> HTMLResponse:
    return render(request, "error.html", {"error": error, "status": status}, status=status)
