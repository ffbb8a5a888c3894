"""Plan the new tab order when generated sheets are replaced and added.

A replacing sheet takes the slot of the sheet it replaces (matched by name, ignoring case), so an
analyst who moved ``Scorecard`` to the front finds it there after the next refresh. New sheets go
at the end. A replaced sheet the user had hidden stays hidden. Book views and sheet-scoped names
refer to sheets by index, so the plan also says where every old index went.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .workbook import SheetRef


@dataclass
class OrderPlan:
    """The new sheet list: ``slots[pos]`` is ("user", old index) or ("new", scratch index)."""

    slots: list[tuple[str, int]] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    user_pos: dict[int, int] = field(default_factory=dict)  # surviving user index -> new pos
    new_pos: dict[int, int] = field(default_factory=dict)  # scratch index -> new pos
    replaced_by: dict[int, int] = field(default_factory=dict)  # removed user index -> new pos

    @property
    def visible(self) -> list[bool]:
        """Per new position: is the sheet visible?"""
        return [st == "visible" for st in self.states]

    def follow(self, old: int) -> int | None:
        """New position of the sheet that was at ``old``, or of its replacement."""
        if old in self.user_pos:
            return self.user_pos[old]
        return self.replaced_by.get(old)


def plan_order(
    user_sheets: list[SheetRef], removed: set[int], scratch_sheets: list[SheetRef]
) -> OrderPlan:
    """Tab order after removing the user sheets at indexes ``removed`` and adding the scratch's."""
    plan = OrderPlan()
    by_name = {s.name.casefold(): j for j, s in enumerate(scratch_sheets)}
    placed: set[int] = set()
    replaced_state: dict[int, str] = {}
    for i, s in enumerate(user_sheets):
        if i not in removed:
            plan.slots.append(("user", i))
            continue
        j = by_name.get(s.name.casefold())
        if j is None or j in placed:
            continue
        placed.add(j)
        plan.replaced_by[i] = len(plan.slots)
        plan.slots.append(("new", j))
        if s.state != "visible":
            replaced_state[j] = s.state
    plan.slots.extend(("new", j) for j in range(len(scratch_sheets)) if j not in placed)

    for pos, (kind, idx) in enumerate(plan.slots):
        if kind == "user":
            plan.user_pos[idx] = pos
            plan.states.append(user_sheets[idx].state)
        else:
            plan.new_pos[idx] = pos
            plan.states.append(replaced_state.get(idx, scratch_sheets[idx].state))
    if plan.slots and "visible" not in plan.states:
        first_new = next(pos for pos, (kind, _) in enumerate(plan.slots) if kind == "new")
        plan.states[first_new] = "visible"
    return plan
