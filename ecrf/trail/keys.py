"""Who held which personal key when, as the trail itself records it (`key_issued`, `user_deactivated`), and
each user's role over time (`user_added`, `role_changed`): what a seal is checked against."""
from __future__ import annotations

from dataclasses import dataclass, field

from ecrf.trail.chain import Event
from ecrf.trail.seals import key_id

KEY_ISSUED, SEALS_STARTED = "key_issued", "seals_started"
# Events written for someone who was not logged in: the attempted account is named, the seal is the recorder's.
RECORDED_ACTIONS = frozenset({"login_failed", "recovery_code_failed"})
ISSUER_ROLES = frozenset({"site_admin"})


@dataclass
class KeyPeriod:
    username: str
    public_key: str  # hex
    issued_seq: int
    issued_by: str | None = None  # the seal signer of the issuing event, once known
    revoked_seq: int | None = None  # from this event on the key signs nothing

    @property
    def key_id(self) -> str:
        return key_id(self.public_key)

    def covers(self, seq: int) -> bool:
        return self.issued_seq <= seq and (self.revoked_seq is None or seq < self.revoked_seq)


@dataclass
class KeyBook:
    periods: list[KeyPeriod] = field(default_factory=list)
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # username -> [(from seq, role)]
    problems: list[str] = field(default_factory=list)

    def read(self, event: Event) -> None:
        if event.action in ("user_added", "role_changed") and event.item and event.new_value:
            # Only an administrator gives roles; the very first account is the one the site was made with.
            if self.roles and self.role_at(event.username, event.seq) not in ISSUER_ROLES:
                self.problems.append(f"event {event.seq} gives {event.item} the role {event.new_value}, but "
                                     f"{event.username} was not a site administrator")
                return
            self.roles.setdefault(event.item, []).append((event.seq, event.new_value))
        elif event.action == KEY_ISSUED and event.item and event.new_value:
            self._end(event.item, event.seq)
            self.periods.append(KeyPeriod(event.item, event.new_value, event.seq))
        elif event.action == "user_deactivated" and event.item:
            self._end(event.item, event.seq)

    def _end(self, username: str, seq: int) -> None:
        for period in self.periods:
            if period.username == username and period.revoked_seq is None:
                period.revoked_seq = seq

    def key_for(self, username: str, kid: str, seq: int) -> KeyPeriod | None:
        return next((p for p in self.periods if p.username == username and p.key_id == kid and p.covers(seq)), None)

    def earlier_key(self, username: str, before_seq: int) -> bool:
        return any(p.username == username and p.issued_seq < before_seq for p in self.periods)

    def role_at(self, username: str, seq: int) -> str | None:
        role = None
        for since, value in self.roles.get(username, []):
            if since <= seq:
                role = value
        return role

    def current(self, username: str) -> KeyPeriod | None:
        return next((p for p in reversed(self.periods) if p.username == username and p.revoked_seq is None), None)
