"""Values shown as labels, listed so that message extraction finds them.

Templates translate values such as ``unit.level.value`` with ``_()``; Babel
cannot see dynamic values, so they are named here with the ``N_`` marker.
"""

from __future__ import annotations


def N_(message: str) -> str:
    return message


VALUE_LABELS = [
    # unit levels
    N_("province"),
    N_("city"),
    N_("county"),
    # unit kinds
    N_("government"),
    N_("department"),
    N_("data_authority"),
    N_("vertical"),
    N_("party_committee"),
    # navigation
    N_("Home"),
    N_("Units"),
    N_("Audit log"),
    N_("Plans"),
    N_("Open data"),
]
