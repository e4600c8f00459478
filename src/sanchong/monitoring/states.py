"""The warning work list's states (docs/monitoring.md): new → pushed → verified → assisted | not_eligible. Pure."""

from __future__ import annotations

STATES = ("new", "pushed", "verified", "assisted", "not_eligible", "withdrawn")
STATE_NAMES = {
    "new": "新预警",
    "pushed": "已推送民政",
    "verified": "已核查",
    "assisted": "已帮扶救助",
    "not_eligible": "不符合条件",
    "withdrawn": "已撤回（负担回落至预警线以下）",
}
# action -> (from state, to state)
TRANSITIONS = {
    "push": ("new", "pushed"),
    "verify": ("pushed", "verified"),
    "assist": ("verified", "assisted"),
    "not_eligible": ("verified", "not_eligible"),
}


class TransitionError(ValueError):
    """An action not allowed in the warning's state."""

    def __init__(self, state: str, action: str) -> None:
        need = TRANSITIONS[action][0] if action in TRANSITIONS else "?"
        self.cause = f"状态为“{STATE_NAMES.get(state, state)}”的预警不能执行 {action}（需为“{STATE_NAMES.get(need, need)}”）"
        self.cause_en = f"a warning in state {state} cannot {action} (needs {need})"
        super().__init__(self.cause_en)


def next_state(state: str, action: str) -> str:
    """The state after an action, or TransitionError."""
    if action not in TRANSITIONS or TRANSITIONS[action][0] != state:
        raise TransitionError(state, action)
    return TRANSITIONS[action][1]


def on_recompute(state: str, over: bool) -> str:
    """The state after the burden was recomputed: a new warning no longer over the line is withdrawn, and back."""
    if state == "new" and not over:
        return "withdrawn"
    if state == "withdrawn" and over:
        return "new"
    return state
