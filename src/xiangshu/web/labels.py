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
    N_("Sharing"),
    N_("Open data"),
]
# sharing: request steps, verdicts, grant sources, notice and report states, tabs
SHARING_LABELS = [
    N_("submit"),
    N_("remind"),
    N_("reschedule"),
    N_("escalate"),
    N_("approve"),
    N_("approve_part"),
    N_("refuse"),
    N_("withdraw"),
    N_("dispute"),
    N_("dispute_rejected"),
    N_("attach"),
    N_("request"),
    N_("unconditional"),
    N_("administrative"),
    N_("open_application"),
    N_("pending"),
    N_("delivered"),
    N_("dead"),
    N_("feed"),
    N_("open"),
    N_("confirmed"),
    N_("corrected"),
    N_("rejected"),
    N_("Our requests"),
    N_("Requests to us"),
    N_("Overdue and escalated"),
    N_("All requests"),
    N_("Grants"),
    N_("Subscriptions"),
    N_("Error reports"),
    N_("Exchange statistics"),
    N_("Held by our unit"),
    N_("Given by our unit"),
    N_("All grants"),
    N_("Filed by our unit"),
    N_("About our data"),
    N_("All reports"),
    N_("Withdraw"),
    N_("Dispute"),
    N_("Escalate"),
]
