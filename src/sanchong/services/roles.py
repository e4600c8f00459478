"""Roles and what each may do (issue: counter clerk, bureau officer, civil-affairs liaison, auditor, admin)."""

from __future__ import annotations

ROLES = {
    "clerk": "经办柜员 counter clerk: trial, settle, cancel; reads persons with masked ID numbers",
    "officer": (
        "医保局经办人员 bureau officer: identities, lists, suspensions, approvals, applications, monitoring, subsidy, funding, "
        "indicators, fraud, reports"
    ),
    "liaison": "民政联络员 civil-affairs liaison: identities, department lists and monitoring warnings to verify",
    "auditor": "审计人员 auditor: reads everything and the reports, changes nothing; ID numbers masked",
    "admin": "管理员 administrator: everything, including users",
}

PERMISSIONS: dict[str, set[str]] = {
    "clerk": {"read", "settle", "cancel", "person.create", "application.submit"},
    "officer": {
        "read",
        "identity",
        "suspension",
        "approval",
        "retro",
        "person.create",
        "read.id_number",
        "lists",
        "application.submit",
        "application.decide",
        "monitoring",
        "subsidy",
        "funding",
        "indicators",
        "fraud",
        "reports",
    },
    "liaison": {"identity", "read.person", "read.id_number", "lists", "monitoring"},
    "auditor": {"read", "audit", "reports"},
}
# 管理员: every action of the other roles, and user management.
PERMISSIONS["admin"] = set().union(*PERMISSIONS.values()) | {"users"}


def allowed(role: str, action: str) -> bool:
    """Whether a role may perform an action ('read' also grants 'read.person')."""
    granted = PERMISSIONS.get(role, set())
    return action in granted or (action == "read.person" and "read" in granted)
