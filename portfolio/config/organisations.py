"""The organisation hierarchy: system → place → provider → site."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.config.schema import OrganisationsFile


@dataclass(frozen=True)
class Org:
    code: str
    name: str
    short_name: str
    level: str  # system, place, provider or site
    parent: str | None
    type: str | None = None  # a provider's type
    lat: float | None = None
    lon: float | None = None
    closed: str | None = None  # last month of operation, YYYY-MM
    successor: str | None = None


class OrgTree:
    def __init__(self, organisations: OrganisationsFile | None):
        self.nodes: dict[str, Org] = {}
        self._children: dict[str, list[str]] = {}
        if organisations is None:
            return
        system = organisations.system
        self.root = system.code
        self._add(Org(system.code, system.name, system.short_name, "system", None))
        for place in organisations.places:
            self._add(Org(place.code, place.name, place.short_name or place.name, "place", system.code,
                          lat=place.lat, lon=place.lon))
        for provider in organisations.providers:
            self._add(Org(provider.code, provider.name, provider.short_name, "provider",
                          provider.place or system.code, provider.type,
                          closed=provider.closed, successor=provider.successor))
        for site in organisations.sites:
            self._add(Org(site.code, site.name, site.name, "site", site.provider, lat=site.lat, lon=site.lon))

    def _add(self, org: Org) -> None:
        self.nodes[org.code] = org
        self._children.setdefault(org.code, [])
        if org.parent is not None:
            self._children[org.parent].append(org.code)

    def __contains__(self, code: str) -> bool:
        return code in self.nodes

    def __getitem__(self, code: str) -> Org:
        return self.nodes[code]

    def children(self, code: str) -> list[Org]:
        return [self.nodes[c] for c in self._children.get(code, [])]

    def ancestors(self, code: str) -> list[Org]:
        """From the parent up to the system."""
        found = []
        parent = self.nodes[code].parent
        while parent is not None:
            found.append(self.nodes[parent])
            parent = self.nodes[parent].parent
        return found

    def subtree(self, code: str) -> list[str]:
        """``code`` and everything below it."""
        found, stack = [], [code]
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(self._children.get(current, []))
        return found

    def reporting_units(self, code: str, reported: set[str]) -> list[str]:
        """The highest reported organisations within ``code``: adding their figures gives the
        figure for ``code`` without counting a provider and its own sites twice."""
        units, stack = [], [code]
        while stack:
            current = stack.pop()
            if current in reported:
                units.append(current)
            else:
                stack.extend(self._children.get(current, []))
        return sorted(units)

    def within(self, code: str, level: str) -> list[Org]:
        """Organisations at ``level`` inside ``code`` (its places, providers or sites)."""
        return [self.nodes[c] for c in self.subtree(code) if self.nodes[c].level == level and c != code]

    def open_in(self, code: str, period: str) -> bool:
        """Whether the organisation (or its provider, for a site) still operated in ``period``."""
        org = self.nodes.get(code)
        while org is not None:
            if org.closed is not None and period > org.closed:
                return False
            org = self.nodes.get(org.parent) if org.level == "site" else None
        return True

    def label(self, code: str) -> str:
        return self.nodes[code].short_name if code in self.nodes else code
