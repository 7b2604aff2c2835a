"""What one part of the configuration names elsewhere, checked once each file is valid: a
headline's metric is one of the portfolio's, a provider's place is a place, a meeting's slide
names a portfolio that loaded. Each check returns the problems it finds, at their key paths."""

from __future__ import annotations

from typing import TYPE_CHECKING

from portfolio.config.problems import Document, Problem
from portfolio.config.schema import BUILT_IN_TABS, Meeting, OrganisationsFile, Portfolio, Settings

if TYPE_CHECKING:
    from portfolio.config.loading import Config


def portfolio_references(portfolio: Portfolio, document: Document) -> list[Problem]:
    """The portfolio's categories, headline, charts, views and reconciliation name its own metrics
    (each problem once)."""
    found = [*_category_references(portfolio, document), *_chart_references(portfolio, document),
             *_view_references(portfolio, document), *_reconcile_references(portfolio, document)]
    return list(dict.fromkeys(found))


def _category_references(portfolio: Portfolio, document: Document) -> list[Problem]:
    problems = []
    if len(set(portfolio.categories)) != len(portfolio.categories):
        problems.append(document.problem(("categories",), "a category is listed twice"))
    ids = [m.id for m in portfolio.metrics]
    for number, metric in enumerate(portfolio.metrics):
        if metric.category not in portfolio.categories:
            problems.append(document.problem(("metrics", number, "category"), (
                f"'{metric.category}' is not one of the portfolio's categories ({', '.join(portfolio.categories)})")))
        if ids.count(metric.id) > 1:
            problems.append(document.problem(("metrics", number, "id"), f"'{metric.id}' is used twice in this portfolio"))
    return problems


def _chart_references(portfolio: Portfolio, document: Document) -> list[Problem]:
    ids = [m.id for m in portfolio.metrics]
    problems = [document.problem(("headline", number), f"'{metric_id}' is not a metric of this portfolio")
                for number, metric_id in enumerate(portfolio.headline) if metric_id not in ids]
    for number, chart in enumerate(portfolio.charts):
        if chart.metric not in ids:
            problems.append(document.problem(("charts", number, "metric"),
                                             f"'{chart.metric}' is not a metric of this portfolio"))
        elif chart.by not in portfolio.metric(chart.metric).drill:
            problems.append(document.problem(("charts", number, "by"), (
                f"'{chart.metric}' cannot be drilled by {chart.by}; add it to the metric's drill list or choose "
                "another level")))
    return problems


def _view_references(portfolio: Portfolio, document: Document) -> list[Problem]:
    ids = [m.id for m in portfolio.metrics]
    titles = [view.title for view in portfolio.views]
    problems = []
    for number, view in enumerate(portfolio.views):
        if view.tab_title in BUILT_IN_TABS:
            problems.append(document.problem(("views", number, "tab" if view.tab else "title"), (
                f"'{view.tab_title}' is the name of a tab every portfolio has already; give the view's tab another "
                "name")))
        if titles.count(view.title) > 1:
            problems.append(document.problem(("views", number, "title"),
                                             f"'{view.title}' is used by two views; give each its own title"))
        problems += [document.problem(("views", number, "metric"), f"'{metric_id}' is not a metric of this portfolio")
                     for metric_id in view.metric_ids if metric_id not in ids]
        known = [portfolio.metric(m) for m in view.metric_ids if m in ids]
        dimension = getattr(view, "dimension", None)  # the breakdown, for the kinds that show one
        if dimension and known and not any(dimension in m.drill for m in known):
            problems.append(document.problem(("views", number, "dimension"),
                                             f"'{known[0].id}' has no '{dimension}' in its drill list"))
    return problems


def _reconcile_references(portfolio: Portfolio, document: Document) -> list[Problem]:
    ids = [m.id for m in portfolio.metrics]
    identities = portfolio.reconcile.identities if portfolio.reconcile else []
    return [document.problem(("reconcile", "identities", number), f"'{metric_id}' is not a metric of this portfolio")
            for number, identity in enumerate(identities)
            for metric_id in (identity.total, *identity.metric_ids) if metric_id not in ids]


def portfolio_clashes(portfolio: Portfolio, document: Document, seen_ids: dict[str, str],
                      seen_portfolios: dict[str, str]) -> list[Problem]:
    """The portfolio's id, and each of its metrics' ids, are not already used by a file loaded before it."""
    problems = []
    if portfolio.id in seen_portfolios:
        problems.append(document.problem(("id",), f"portfolio id '{portfolio.id}' is already used by "
                                                  f"{seen_portfolios[portfolio.id]}"))
    for number, metric in enumerate(portfolio.metrics):
        if metric.id in seen_ids:
            problems.append(document.problem(("metrics", number, "id"), (
                f"metric id '{metric.id}' is already used by {seen_ids[metric.id]}; metric ids must be unique across "
                "all portfolios")))
    return problems


def unknown_target_organisations(portfolio: Portfolio, document: Document, codes: set[str]) -> list[Problem]:
    """A target set for an organisation organisations.yaml does not know would silently apply to none."""
    if not codes:
        return []
    return [document.problem(("metrics", m, "targets", t, "organisations"), (
                f"'{code}' is not in organisations.yaml: give the code of the organisation the target is set for"))
            for m, metric in enumerate(portfolio.metrics) for t, target in enumerate(metric.targets)
            for code in target.organisations or [] if code not in codes]


def organisation_codes(organisations: OrganisationsFile | None) -> set[str]:
    if organisations is None:
        return set()
    return {organisations.system.code} | {o.code for o in (*organisations.places, *organisations.providers,
                                                            *organisations.sites)}


def organisation_references(organisations: OrganisationsFile, document: Document) -> list[Problem]:
    """Each code is used once; each provider's place and successor, and each site's provider, exist;
    a provider with a successor has its closing month; no chain of successors goes round in a circle."""
    codes = [organisations.system.code] + [o.code for o in (*organisations.places, *organisations.providers,
                                                           *organisations.sites)]
    problems = []
    if duplicates := sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(document.problem((), f"organisation codes used twice: {', '.join(duplicates)}"))
    places = {p.code for p in organisations.places}
    providers = {p.code for p in organisations.providers}
    for number, provider in enumerate(organisations.providers):
        if provider.place is not None and provider.place not in places:
            problems.append(document.problem(("providers", number, "place"),
                                             f"'{provider.place}' is not a place code"))
        if provider.successor is not None and provider.successor not in providers:
            problems.append(document.problem(("providers", number, "successor"),
                                             f"'{provider.successor}' is not a provider code"))
        if provider.successor is not None and provider.closed is None:
            problems.append(document.problem(("providers", number, "closed"),
                                             "a provider with a successor needs its closing month"))
    problems += _successor_circles(organisations, document)
    problems += [document.problem(("sites", number, "provider"), f"'{site.provider}' is not a provider code")
                 for number, site in enumerate(organisations.sites) if site.provider not in providers]
    return problems


def _successor_circles(organisations: OrganisationsFile, document: Document) -> list[Problem]:
    successor = {p.code: p.successor for p in organisations.providers if p.successor}
    problems = []
    for number, provider in enumerate(organisations.providers):
        chain, code = [provider.code], successor.get(provider.code)
        while code is not None and code not in chain:
            chain.append(code)
            code = successor.get(code)
        if code is not None:
            problems.append(document.problem(("providers", number, "successor"), (
                f"the successors go round in a circle ({' → '.join([*chain, code])}): the last provider of a merger "
                "has no successor")))
    return problems


def settings_references(settings: Settings, document: Document) -> list[Problem]:
    """The patient-level file is not also a tidy extract."""
    return [document.problem(("patient_level",), (
                f"{name} is also under extracts; a patient-level file is not a tidy extract, so list it under "
                "patient_level only"))
            for name in settings.patient_level if name in settings.extracts]


def meeting_references(meeting: Meeting, document: Document, config: Config) -> list[Problem]:
    """The meeting's id is not taken by one loaded before it, and its organisation, portfolios,
    tables and metrics exist (among the portfolios that loaded)."""
    problems = []
    if meeting.id in config.meetings:
        problems.append(document.problem(("id",), f"meeting id '{meeting.id}' is used twice"))
    if meeting.organisation and meeting.organisation not in organisation_codes(config.organisations):
        problems.append(document.problem(("organisation",), f"'{meeting.organisation}' is not in organisations.yaml"))
    for number, slide in enumerate(meeting.slides):
        portfolio = config.portfolio(slide.portfolio) if slide.portfolio else None
        if slide.portfolio and portfolio is None:
            message = (f"the portfolio '{slide.portfolio}' could not be loaded ({config.disabled_ids[slide.portfolio]} "
                       "has errors): the meeting is left out until that file is fixed"
                       if slide.portfolio in config.disabled_ids else f"'{slide.portfolio}' is not a portfolio")
            problems.append(document.problem(("slides", number, "portfolio"), message))
        tables = [v.title for v in portfolio.views if v.table] if portfolio else []
        if slide.show == "table" and portfolio and slide.view not in tables:
            problems.append(document.problem(("slides", number, "view"), (
                f"'{slide.view}' is not a standards or heat table of {portfolio.title}: choose one of "
                f"{', '.join(tables) or '(it has none)'}")))
        if slide.metric and slide.metric not in config.metrics:
            problems.append(document.problem(("slides", number, "metric"),
                                             f"'{slide.metric}' is not a metric of any portfolio"))
    return problems
