"""Who is talking to the bot, as the program sees them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UserIdentity:
    """A person as Teams presents them; email/UPN arrive later from a roster lookup."""

    teams_user_id: str
    display_name: str = ""
    aad_object_id: str | None = None
    tenant_id: str | None = None
    locale: str | None = None
    timezone: str | None = None
    email: str | None = None
    user_principal_name: str | None = None

    def lead_keys(self) -> frozenset[str]:
        """The identifiers a program lead or sponsor may be listed under (lower case)."""
        keys = (self.aad_object_id, self.email, self.user_principal_name)
        return frozenset(key.lower() for key in keys if key)
