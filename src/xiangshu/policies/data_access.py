"""Who may see a resource's metadata and who may read its records (deny by default).

Registered policies of the catalog, the lake, sharing and open data call these,
so the rule is decided in one place:

- metadata: government users see every published resource of the catalog (the
  catalog exists so departments know what they can ask for); the public sees
  published resources that are open (无条件开放 or 有条件开放); drafts are seen by
  the provider unit and platform administrators only.
- data: open (无条件开放) → anyone; 无条件共享 → any signed-in government user;
  有条件共享 → the provider, platform administrators and holders of a grant;
  不予共享 → the provider only. Unpublished data → the provider only.
- personal data items are masked unless the reader is the provider or the
  grant allows clear values; the public never receives personal items.
- a grant that no longer holds (``GrantFacts.ended``: revoked, or expired for a
  conditional resource) grants nothing, and a revoked one refuses even a 无条件共享
  resource: the refusal says when and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from xiangshu.domain.access import GrantFacts, OpenType, ResourceFacts, ShareType
from xiangshu.domain.roles import Actor, Role
from xiangshu.policies.registry import Decision, allow, deny, login_required


@dataclass(frozen=True, slots=True)
class ReadScope:
    """The answer to "may this actor read these records, which fields, in clear or not"."""

    decision: Decision
    fields: frozenset[str] = frozenset()
    unmasked: bool = False
    grant: GrantFacts | None = None

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def may_see_metadata(actor: Actor, facts: ResourceFacts) -> Decision:
    if actor.is_system:
        return allow("the node's own operator")
    if not facts.is_published:
        if actor.acts_for(facts.provider_unit_id):
            return allow("the provider's own unpublished resource")
        if actor.has(Role.PLATFORM_ADMIN):
            return allow("platform administrator")
        return deny("this resource is not published")
    if actor.is_government:
        return allow("government users see the whole published catalog")
    if facts.open_type in (OpenType.OPEN, OpenType.CONDITIONAL):
        return allow(f"open data ({facts.open_type.label_zh})")
    if actor.is_public:
        return login_required()
    return deny("this resource is not open to the public")


def may_read_data(actor: Actor, facts: ResourceFacts, grant: GrantFacts | None = None) -> ReadScope:
    everything = facts.fields
    if actor.is_system:
        return ReadScope(allow("the node's own operator"), everything, unmasked=True)
    if actor.acts_for(facts.provider_unit_id):
        return ReadScope(allow("the provider's own data"), everything, unmasked=True)
    if not facts.is_published:
        return ReadScope(deny("this resource is not published"))
    not_personal = frozenset(i.field for i in facts.items if not i.sensitivity.is_personal)
    held = grant if grant is not None and grant.resource_id == facts.resource_id else None
    ended = held.ended if held is not None else None
    if held is not None and held.fields and not ended:
        return ReadScope(
            allow("an approved grant"),
            held.fields & everything,
            unmasked=held.clear_values,
            grant=held,
        )
    if facts.open_type is OpenType.OPEN:
        return ReadScope(allow("open data (无条件开放)"), not_personal)
    if actor.is_public:
        return ReadScope(login_required())
    if not actor.is_government:
        return ReadScope(deny("only government units may read shared data"))
    if facts.share_type is ShareType.UNCONDITIONAL:
        if ended:
            return ReadScope(deny(ended))
        return ReadScope(allow("无条件共享: any government unit"), everything)
    if facts.share_type is ShareType.CONDITIONAL:
        if actor.has(Role.PLATFORM_ADMIN):
            return ReadScope(allow("platform administrator"), everything)
        return ReadScope(deny(ended or "有条件共享: apply for this resource and wait for approval"))
    return ReadScope(deny("不予共享: only the provider reads this resource"))
