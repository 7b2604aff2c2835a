"""The configuration schema: portfolios, organisations and settings, read from YAML and validated.

Every model forbids unknown keys, so a misspelt key is reported rather than ignored. Every
problem names the file, the key path and the line. A portfolio file with an error is left out
on its own; the other portfolios still load.

The schema is documented field by field in ``docs/configuration.md``; a test fails when a
field here is missing from that document.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from portfolio.config.files import unreadable
from portfolio.config.problems import Problem

Unit = Literal["percent", "count", "duration", "days", "gbp", "rate", "ratio"]
MeasureType = Literal["monthly_total", "snapshot", "mean", "statistic", "year_to_date"]
Improvement = Literal["increase", "decrease", "neutral"]
Snake = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
YearMonth = Annotated[str, Field(pattern=r"^(199\d|20\d\d)-(0[1-9]|1[0-2])$")]  # 1990 to 2099
# line breaks, tabs and the other control characters, and the marks that turn text right to left
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


class Strict(BaseModel):
    # allow_inf_nan: a target or a scale of .nan or .inf is an error, never a figure
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _one_line(cls, value):
        """Text from the config is shown in titles, tables, charts and the board pack: a control
        character or a line break (``label: |``) becomes a space, and the ends are trimmed."""
        return CONTROL.sub(" ", value).strip() if isinstance(value, str) else value


class Target(Strict):
    value: float
    source: str = Field(min_length=1)
    comparison: Literal[">=", "<="] | None = None
    valid_from: YearMonth | None = Field(default=None, alias="from")
    valid_to: YearMonth | None = Field(default=None, alias="to")
    label: str | None = None
    organisations: list[str] | None = None  # the codes it is set for; None: every organisation

    @model_validator(mode="after")
    def _dates_in_order(self) -> Target:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"'from' ({self.valid_from}) is after 'to' ({self.valid_to})")
        return self

    def applies_to(self, month: str, org: str | None = None) -> bool:
        """Whether the target is in force in ``month`` for ``org``; a target set for named
        organisations (a system's ambition of 900 beds) applies to no other, nor to an unnamed one."""
        in_force = (self.valid_from is None or self.valid_from <= month) and (
            self.valid_to is None or month <= self.valid_to)
        return in_force and (self.organisations is None or org in self.organisations)


class Trajectory(Strict):
    source: str = Field(min_length=1)
    values: dict[YearMonth, float] = Field(min_length=1)


class Baseline(Strict):
    year: Annotated[str, Field(pattern=r"^\d{4}/\d{2}$")] = "2019/20"
    method: Literal["same_month", "year_average", "value"] = "same_month"
    value: float | None = None

    @model_validator(mode="after")
    def _value_when_fixed(self) -> Baseline:
        if self.method == "value" and self.value is None:
            raise ValueError("method 'value' needs a 'value'")
        return self


class Source(Strict):
    extract: str = Field(min_length=1)
    key: Snake | None = None
    filters: dict[Literal["breakdown", "breakdown_value", "series", "status"], str] = {}

    @field_validator("extract")
    @classmethod
    def _inside_data_folder(cls, name: str) -> str:
        path = PurePosixPath(name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
            raise ValueError(
                f"'{name}' points outside the data folder: give a file name relative to it, such as uec_monthly.csv"
            )
        if path.suffix.lower() != ".csv":
            raise ValueError(f"'{name}' is not a .csv file")
        return str(path)


class Format(Strict):
    style: Literal["number", "percent", "hhmmss", "minutes", "days", "gbp_m", "gbp_k"] | None = None
    decimals: Annotated[int, Field(ge=0, le=4)] | None = None
    unit_label: Annotated[str, Field(min_length=1, max_length=24)] | None = None


class Rebase(Strict):
    """A month from which the process is judged afresh: the SPC limits are recalculated."""

    month: YearMonth
    reason: Annotated[str, Field(min_length=1, max_length=60)] | None = None


DEFAULT_STYLE = {
    "percent": "percent",
    "count": "number",
    "duration": "hhmmss",
    "days": "days",
    "gbp": "gbp_m",
    "rate": "number",
    "ratio": "number",
}
DEFAULT_DECIMALS = {"percent": 1, "number": 0, "hhmmss": 0, "minutes": 0, "days": 1, "gbp_m": 1, "gbp_k": 0}


class Share(Strict):
    """A metric computed as the share of a breakdown's total that falls in the listed members."""

    dimension: Snake
    members: list[str] = Field(min_length=1)


class KVI(Strict):
    """A key value indicator the organisation has pledged (Social Value Quality Mark)."""

    code: str = Field(min_length=1)
    text: str = Field(min_length=1)
    basis: Literal["month", "ytd", "annual", "rolling_3_month", "cohort"] = "ytd"


class Metric(Strict):
    id: Snake
    label: str = Field(min_length=1, max_length=100)
    short_label: Annotated[str, Field(min_length=1, max_length=24)] | None = None
    category: str
    subcategory: str | None = None
    definition: str = Field(min_length=1)
    unit: Unit
    measure: MeasureType
    improvement: Improvement
    source: Source
    compute: Literal["value", "ratio", "share"] = "value"
    share: Share | None = None
    scale: float = Field(1.0, gt=0)
    additive: bool = True
    targets: list[Target] = []
    target_pending: str | None = None
    kvi: KVI | None = None
    trajectory: Trajectory | None = None
    baseline: Baseline | None = Baseline()
    frequency: Literal["monthly", "quarterly", "annual"] = "monthly"
    drill: list[Snake] = []
    format: Format = Format()
    focus: bool | list[YearMonth] = False
    rebase: list[Rebase] = []
    spc_months: Annotated[int, Field(ge=12, le=120)] = 24
    owner: str = Field(min_length=1)

    @field_validator("rebase", mode="before")
    @classmethod
    def _rebase_months(cls, rebases: Any) -> Any:
        """A plain month (``- 2023-04``) is a rebase with no reason given; anything else that is not a
        mapping (a date, a number) is refused saying how to write it."""
        if not isinstance(rebases, list):
            return rebases
        for item in rebases:
            if not isinstance(item, (str, dict)):
                raise ValueError(f"rebase: write each as a month, YYYY-MM (got {item!r}), or as "
                                 "{month: YYYY-MM, reason: why the process changed}")
        return [{"month": item} if isinstance(item, str) else item for item in rebases]

    @field_validator("rebase")
    @classmethod
    def _rebase_once(cls, rebases: list[Rebase]) -> list[Rebase]:
        months = [r.month for r in rebases]
        if twice := sorted({m for m in months if months.count(m) > 1}):
            raise ValueError(f"rebase: {', '.join(twice)} is listed twice; give each month once")
        return rebases

    @model_validator(mode="after")
    def _consistent(self) -> Metric:
        if self.measure == "mean" and self.compute == "value":
            raise ValueError(
                "a 'mean' measure must be computed as a ratio (compute: ratio) so that it can be "
                "recomputed from sums at every level, never averaged"
            )
        if self.unit == "percent" and self.compute in ("ratio", "share") and self.scale != 100:
            raise ValueError(f"a percentage computed as a {self.compute} needs scale: 100")
        if (self.compute == "share") != (self.share is not None):
            raise ValueError("'compute: share' and 'share:' go together: give both, or neither")
        for number, target in enumerate(self.targets):
            if self.improvement == "neutral" and target.comparison is None:
                raise ValueError(
                    f"targets[{number}] needs 'comparison' ('>=' or '<='): the improvement direction is neutral"
                )
        return self

    @property
    def is_ratio(self) -> bool:
        """Computed from a numerator and a denominator (a ratio, or a share of a breakdown's total)."""
        return self.compute in ("ratio", "share")

    @property
    def heading(self) -> str:
        """The name in a table heading: the short label, else the label."""
        return self.short_label or self.label

    @property
    def style(self) -> str:
        return self.format.style or DEFAULT_STYLE[self.unit]

    @property
    def decimals(self) -> int:
        return self.format.decimals if self.format.decimals is not None else DEFAULT_DECIMALS[self.style]

    @property
    def rebase_months(self) -> list[str]:
        return [r.month for r in self.rebase]

    @property
    def source_key(self) -> str:
        return self.source.key or self.id

    def target_for(self, month: str, org: str | None = None) -> Target | None:
        """The target in force in ``month`` (YYYY-MM) for ``org`` (without one, only a target for
        every organisation); the last listed wins where two overlap."""
        matching = [t for t in self.targets if t.applies_to(month, org)]
        return matching[-1] if matching else None

    def comparison_for(self, target: Target) -> str:
        if target.comparison:
            return target.comparison
        return ">=" if self.improvement == "increase" else "<="

    def is_focus(self, month: str) -> bool:
        return self.focus if isinstance(self.focus, bool) else month in self.focus


class ChartSpec(Strict):
    """A chart on the portfolio page, drawn for the selected organisation's places, providers or sites."""

    title: str = Field(min_length=1, max_length=100)
    metric: Snake
    by: Snake = "provider"  # an organisation level, or a breakdown in the metric's drill list
    kind: Literal["trend", "latest"] = "trend"
    months: Annotated[int, Field(ge=3, le=120)] = 24


PositionColumn = Literal["plan", "actual", "variance", "percent_of_plan", "year_plan", "underspend", "target"]
LIST_KINDS = ("standards", "position", "statement")  # the view kinds that take a list of metrics
WHOLE_PORTFOLIO_KINDS = ("framework", "kvi", "milestones")  # the view kinds drawn from the whole portfolio
TABLE_KINDS = ("standards", "heatmap")  # the view kinds a meeting can show as table slides


class ViewSpec(Strict):
    """A portfolio's own view, shown as a tab of its page (views sharing a ``tab`` share one)."""

    title: str = Field(min_length=1, max_length=100)
    kind: Literal["standards", "distribution", "trajectory", "heatmap", "position", "statement", "waterfall",
                  "framework", "kvi", "map", "comparison", "milestones"]
    tab: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    metrics: list[Snake] = []
    metric: Snake | None = None
    dimension: Snake | None = None
    by: Literal["place", "provider", "site"] = "provider"
    organisations: list[str] = []
    months: Annotated[int, Field(ge=3, le=120)] = 24
    show: list[PositionColumn] = ["plan", "actual", "variance"]
    cumulative: bool = False
    reference: Snake | None = None

    @model_validator(mode="after")
    def _fields_for_kind(self) -> ViewSpec:
        if self.kind in LIST_KINDS and not self.metrics:
            raise ValueError(f"a {self.kind} view needs 'metrics': the metrics to list")
        if self.kind not in LIST_KINDS + WHOLE_PORTFOLIO_KINDS and self.metric is None:
            raise ValueError(f"a {self.kind} view needs 'metric'")
        if self.kind == "comparison" and self.reference is None:
            raise ValueError("a comparison view needs 'reference': the metric to compare with, such as the "
                             "population served")
        if self.kind in ("map", "comparison") and self.dimension is None:
            raise ValueError(f"a {self.kind} view needs 'dimension': the breakdown to show, such as supplier_place")
        if self.kind in ("distribution", "heatmap") and self.dimension is None:
            raise ValueError(f"a {self.kind} view needs 'dimension': the breakdown to show, such as weeks_band")
        return self

    @property
    def metric_ids(self) -> list[str]:
        return [m for m in (self.metrics or [self.metric]) + [self.reference] if m]

    @property
    def tab_title(self) -> str:
        return self.tab or self.title


class Identity(Strict):
    """A total that must equal the sum of its parts, for every organisation, month and series."""

    total: Snake
    parts: list[Annotated[str, Field(pattern=r"^-?[a-z][a-z0-9_]*$")]] = Field(min_length=2)

    @property
    def metric_ids(self) -> list[str]:
        return [part.removeprefix("-") for part in self.parts]

    @property
    def signs(self) -> list[int]:
        return [-1 if part.startswith("-") else 1 for part in self.parts]


class Reconcile(Strict):
    """The checks that the portfolio's figures add up (shown at the top of its page)."""

    tolerance: Annotated[float, Field(ge=0)] = 0.5
    identities: list[Identity] = []


class Milestone(Strict):
    """A commitment with a date: a charter signed, an award, a submission."""

    name: str = Field(min_length=1)
    due: YearMonth
    achieved: YearMonth | None = None
    next_step: str | None = None
    source: str | None = None


BUILT_IN_TABS = ("Front sheet", "Scorecard", "Charts")  # every portfolio's page has these (Charts when it has any)


class Portfolio(Strict):
    id: Snake
    title: str = Field(min_length=1, max_length=60)
    sro: str = Field(min_length=1)
    clinical_lead: str = Field(min_length=1)
    ceo_sponsor: str = Field(min_length=1)
    analyst: str = Field(min_length=1)
    description: str = Field(min_length=1)
    icon: str | None = None
    order: int = 100
    categories: list[str] = Field(min_length=1)
    headline: list[Snake] = []
    charts: list[ChartSpec] = []
    views: list[ViewSpec] = []
    reconcile: Reconcile | None = None
    milestones: list[Milestone] = []
    metrics: list[Metric] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_references(self) -> Portfolio:
        problems = []
        if len(set(self.categories)) != len(self.categories):
            problems.append("categories: a category is listed twice")
        ids = [m.id for m in self.metrics]
        for number, metric in enumerate(self.metrics):
            if metric.category not in self.categories:
                problems.append(
                    f"metrics[{number}].category: '{metric.category}' is not one of the portfolio's "
                    f"categories ({', '.join(self.categories)})"
                )
            if ids.count(metric.id) > 1:
                problems.append(f"metrics[{number}].id: '{metric.id}' is used twice in this portfolio")
        for number, metric_id in enumerate(self.headline):
            if metric_id not in ids:
                problems.append(f"headline[{number}]: '{metric_id}' is not a metric of this portfolio")
        for number, chart in enumerate(self.charts):
            if chart.metric not in ids:
                problems.append(f"charts[{number}].metric: '{chart.metric}' is not a metric of this portfolio")
            elif chart.by not in self.metric(chart.metric).drill:
                problems.append(f"charts[{number}].by: '{chart.metric}' cannot be drilled by {chart.by}; add it "
                                "to the metric's drill list or choose another level")
        titles = [view.title for view in self.views]
        for number, view in enumerate(self.views):
            if view.tab_title in BUILT_IN_TABS:
                key = "tab" if view.tab else "title"
                problems.append(f"views[{number}].{key}: '{view.tab_title}' is the name of a tab every portfolio has "
                                "already; give the view's tab another name")
            if titles.count(view.title) > 1:
                problems.append(f"views[{number}].title: '{view.title}' is used by two views; give each its own title")
            for metric_id in view.metric_ids:
                if metric_id not in ids:
                    problems.append(f"views[{number}].metric: '{metric_id}' is not a metric of this portfolio")
            known = [self.metric(m) for m in view.metric_ids if m in ids]
            if view.dimension and known and not any(view.dimension in m.drill for m in known):
                problems.append(f"views[{number}].dimension: '{known[0].id}' has no '{view.dimension}' in its drill list")
        if self.reconcile:
            for number, identity in enumerate(self.reconcile.identities):
                for metric_id in (identity.total, *identity.metric_ids):
                    if metric_id not in ids:
                        problems.append(f"reconcile.identities[{number}]: '{metric_id}' is not a metric of this portfolio")
        if problems:
            raise ValueError("; ".join(dict.fromkeys(problems)))
        return self

    def metric(self, metric_id: str) -> Metric:
        return next(m for m in self.metrics if m.id == metric_id)

    @property
    def own_tabs(self) -> dict[str, list[ViewSpec]]:
        """Each tab of the portfolio's own views → its views, in the order they are listed."""
        tabs: dict[str, list[ViewSpec]] = {}
        for view in self.views:
            tabs.setdefault(view.tab_title, []).append(view)
        return tabs

    @property
    def tabs(self) -> list[str]:
        """Every tab of the portfolio's page: the front sheet, the scorecard, the charts (when it
        has any) and its own views."""
        return [*BUILT_IN_TABS[:2], *(BUILT_IN_TABS[2:] if self.charts else []), *self.own_tabs]

    @property
    def headline_metrics(self) -> list[Metric]:
        if self.headline:
            return [self.metric(i) for i in self.headline]
        focus = [m for m in self.metrics if m.focus]
        return (focus or self.metrics)[:4]


ProviderType = Literal["acute", "specialist", "community", "mental_health", "ambulance", "independent", "commissioner"]


class System(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=120)
    short_name: str = Field(min_length=1)


class Place(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=120)
    short_name: str | None = None
    lat: Annotated[float, Field(ge=49.0, le=61.0)] | None = None
    lon: Annotated[float, Field(ge=-8.7, le=2.0)] | None = None


class Provider(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=120)
    short_name: str = Field(min_length=1)
    type: ProviderType
    place: str | None = None
    closed: YearMonth | None = None  # the last month it operated (merged or dissolved)
    successor: str | None = None
    postcode: str | None = None


class Site(Strict):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1, max_length=120)
    provider: str
    lat: Annotated[float, Field(ge=49.0, le=61.0)]
    lon: Annotated[float, Field(ge=-8.7, le=2.0)]


class OrganisationsFile(Strict):
    system: System
    places: list[Place] = []
    providers: list[Provider] = []
    sites: list[Site] = []

    @model_validator(mode="after")
    def _hierarchy(self) -> OrganisationsFile:
        codes = [self.system.code] + [o.code for o in (*self.places, *self.providers, *self.sites)]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"organisation codes used twice: {', '.join(duplicates)}")
        places = {p.code for p in self.places}
        providers = {p.code for p in self.providers}
        for number, provider in enumerate(self.providers):
            if provider.place is not None and provider.place not in places:
                raise ValueError(f"providers[{number}].place: '{provider.place}' is not a place code")
        for number, provider in enumerate(self.providers):
            if provider.successor is not None and provider.successor not in providers:
                raise ValueError(f"providers[{number}].successor: '{provider.successor}' is not a provider code")
            if provider.successor is not None and provider.closed is None:
                raise ValueError(f"providers[{number}].closed: a provider with a successor needs its closing month")
        successor = {p.code: p.successor for p in self.providers if p.successor}
        for number, provider in enumerate(self.providers):
            chain, code = [provider.code], successor.get(provider.code)
            while code is not None and code not in chain:
                chain.append(code)
                code = successor.get(code)
            if code is not None:
                raise ValueError(f"providers[{number}].successor: the successors go round in a circle "
                                 f"({' → '.join([*chain, code])}): the last provider of a merger has no successor")
        for number, site in enumerate(self.sites):
            if site.provider not in providers:
                raise ValueError(f"sites[{number}].provider: '{site.provider}' is not a provider code")
        return self


class ExtractInfo(Strict):
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    data_as_at: date
    refresh_days: Annotated[int, Field(ge=1)] = 31
    synthetic: bool = False


class SmallNumbers(Strict):
    """Counts small enough to identify people, hidden when presenting to a meeting in public."""

    low: Annotated[int, Field(ge=0)] = 1
    high: Annotated[int, Field(ge=0)] = 7
    symbol: str = Field(default="*", min_length=1, max_length=3)

    @model_validator(mode="after")
    def _in_order(self) -> SmallNumbers:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class Settings(Strict):
    title: Annotated[str, Field(min_length=1, max_length=80)] = "Portfolio performance"
    default_period: Literal["latest"] | YearMonth = "latest"
    no_change_tolerance: Annotated[float, Field(ge=0)] = 0.0
    stale_grace_days: Annotated[int, Field(ge=0)] = 14
    max_extract_mb: Annotated[int, Field(gt=0)] = 200  # an extract larger than this is refused, not read
    small_numbers: SmallNumbers = SmallNumbers()
    extracts: dict[str, ExtractInfo] = {}
    patient_level: Annotated[dict[str, ExtractInfo], Field(max_length=1)] = {}  # the A&E attendances extract

    @field_validator("extracts", "patient_level")
    @classmethod
    def _file_names(cls, extracts: dict[str, ExtractInfo]) -> dict[str, ExtractInfo]:
        for name in extracts:
            Source(extract=name)  # the same path rules as a metric's source
        return extracts

    @model_validator(mode="after")
    def _patient_level_apart(self) -> Settings:
        for name in self.patient_level:
            if name in self.extracts:
                raise ValueError(f"patient_level: {name} is also under extracts; a patient-level file is not a "
                                 "tidy extract, so list it under patient_level only")
        return self


class Slide(Strict):
    """One step of a meeting's running order: the system summary (``overview``), a portfolio's
    headlines and narrative, the deep dive of each of its focus metrics, one metric, or a
    portfolio's standards or heat table (``view``: its title), over as many slides as it needs."""

    show: Literal["overview", "portfolio", "focus", "deep_dive", "table"]
    portfolio: Snake | None = None
    view: str | None = None
    metric: Snake | None = None

    @model_validator(mode="after")
    def _fields_for_show(self) -> Slide:
        if self.show in ("portfolio", "focus", "table") and self.portfolio is None:
            raise ValueError(f"a '{self.show}' slide needs 'portfolio'")
        if self.show == "table" and self.view is None:
            raise ValueError("a 'table' slide needs 'view': the title of the portfolio's standards or heat table")
        if self.show != "table" and self.view is not None:
            raise ValueError("only a 'table' slide takes 'view'")
        if self.show == "deep_dive" and self.metric is None:
            raise ValueError("a 'deep_dive' slide needs 'metric'")
        return self


class Meeting(Strict):
    """A meeting's running order, in config/meetings/: what is shown, for which period, in order."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    title: str = Field(min_length=1, max_length=100)
    date: date
    period: YearMonth
    organisation: str | None = None
    public: bool = False
    slides: list[Slide] = Field(min_length=1)


# --- reading YAML with line numbers ----------------------------------------------------------


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


class _Refused(Exception):
    """A YAML document the dashboard will not read, with the line that shows why."""

    def __init__(self, message: str, node: yaml.Node):
        super().__init__(message)
        self.line = node.start_mark.line + 1


def _check_shape(root: yaml.Node) -> None:
    """Refuse, before anything is built from it, a document whose aliases refer to themselves,
    expand to more than ``MAX_YAML_VALUES`` values (a "billion laughs" file of a few hundred
    bytes), or nest deeper than ``MAX_YAML_DEPTH``; and a mapping that repeats a key (the second
    would silently win). Walked with a stack, not recursion, so no document is too deep to walk."""
    size, depth, state = {}, {}, {}  # by node id; state: 1 while its children are walked, 2 once done
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(kid)] for kid in kids)
            depth[key] = 1 + max((depth[id(kid)] for kid in kids), default=0)
            if size[key] > MAX_YAML_VALUES:
                raise _Refused(f"its aliases (*name) expand to more than {MAX_YAML_VALUES:,} values; write the "
                               "values out, or use fewer aliases", node)
            if depth[key] > MAX_YAML_DEPTH:
                raise _Refused(f"is nested more than {MAX_YAML_DEPTH} levels deep", node)
            state[key] = 2
            continue
        if state.get(key) == 2:
            continue
        if state.get(key) == 1:  # reached again from inside itself
            raise _Refused("an alias refers to the value it is part of (*name inside the value marked &name)", node)
        state[key] = 1
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for name, _ in node.value:
                if isinstance(name, yaml.ScalarNode) and name.value in seen:
                    raise _Refused(f"the key '{name.value}' appears twice in one mapping (lines {seen[name.value]} "
                                   f"and {name.start_mark.line + 1}): keep one", name)
                if isinstance(name, yaml.ScalarNode):
                    seen[name.value] = name.start_mark.line + 1
        stack.append((node, True))
        stack += [(kid, False) for kid in reversed(_children(node)) if state.get(id(kid)) != 2]


def _key_lines(root: yaml.Node) -> dict[tuple, int]:
    """Map each key path in a YAML document to its 1-based line. A node reached again through an
    alias (``*anchor``) is not walked again: its lines are those of its first place."""
    lines, seen, stack = {}, set(), [(root, ())]
    while stack:
        node, path = stack.pop()
        lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, key.value)
                lines[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, (*path, index)) for index, item in enumerate(node.value)]
    return lines


def _path_text(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_NESTED = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*): (.*)$", re.S)


def _path_tuple(text: str) -> tuple:
    """The reverse of ``_path_text``: "metrics[2].category" → ("metrics", 2, "category")."""
    return tuple(int(part) if part.isdigit() else part for part in re.findall(r"[a-z_]+|\d+", text))


def _closest_line(lines: dict[tuple, int], loc: tuple) -> int | None:
    for end in range(len(loc), -1, -1):
        if loc[:end] in lines:
            return lines[loc[:end]]
    return None


def _fix_hint(error: dict, model: type[BaseModel], loc: tuple) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_keys(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(sorted(known))}"
        return f"unknown key '{loc[-1]}' — {hint}"
    if kind == "missing":
        return f"'{loc[-1]}' is required and missing"
    if kind == "literal_error":
        return f"{error['msg']} (got {error.get('input')!r})"
    if kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "is blank: write some words (spaces or line breaks alone are not enough)"
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "(0[1-9]|1[0-2])" in pattern:
            return f"got {error.get('input')!r}: write a month as YYYY-MM, from 1990-01 to 2099-12, for example 2023-04"
        if "\\d{4}/" in pattern:
            return f"got {error.get('input')!r}: write a financial year as 2019/20"
        return f"got {error.get('input')!r}: use lower-case letters, digits and underscores, starting with a letter"
    message = error["msg"].removeprefix("Value error, ")
    if "input" in error and kind not in ("value_error", "assertion_error") and not isinstance(error["input"], (dict, list)):
        message += f" (got {error['input']!r})"
    return message


def _known_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """The field names (as written in YAML) of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        info = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return [info.alias or name for name, info in getattr(current, "model_fields", {}).items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# libyaml's safe loader when PyYAML was built with it (several times quicker), else the pure-Python one
MAX_YAML_BYTES = 5_000_000  # a config file is a few kilobytes; one far larger is refused, not read
MAX_YAML_VALUES = 200_000  # values once aliases are expanded
MAX_YAML_DEPTH = 64


class _SafeLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader, whose dates say which value is not a real date (the stock one raises a
    bare ValueError for 2023-02-30, a month 13 or an hour 25)."""


class _NotADate(yaml.constructor.ConstructorError):
    """A value written as a date that is not one (30 February, a month 13, an hour 25)."""


def _timestamp(loader: _SafeLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as error:
        raise _NotADate(None, None, f"'{node.value}' is not a real date or time ({error}): write a date as "
                                    "YYYY-MM-DD", node.start_mark) from None


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_yaml(path: Path, display_name: str) -> tuple[Any, dict[tuple, int], list[Problem]]:
    """Read a YAML file safely, returning its data, the line of each key path, and problems: never
    an exception, whatever the file holds."""
    refused = unreadable(path)
    if refused:
        return None, {}, [Problem(display_name, refused)]
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_YAML_BYTES + 1)
        if len(raw) > MAX_YAML_BYTES:
            return None, {}, [Problem(display_name, f"is larger than {MAX_YAML_BYTES // 1_000_000} MB: a configuration "
                                                    "file is a few kilobytes, so it is not read")]
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, {}, [Problem(display_name, f"is not UTF-8 text ({error.reason}); save it as UTF-8")]
    except OSError as error:
        return None, {}, [Problem(display_name, f"cannot be read: {error.strerror}")]
    try:
        loader = _SafeLoader(text)
        try:  # one parse: the nodes give each key's line, and the same nodes give the data
            node = loader.get_single_node()
            if node is not None:
                _check_shape(node)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _Refused as refusal:
        return None, {}, [Problem(display_name, f"is not read: {refusal}", line=refusal.line)]
    except _NotADate as error:
        return None, {}, [Problem(display_name, error.problem, line=error.problem_mark.line + 1)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error)
        return None, {}, [
            Problem(display_name, f"is not valid YAML: {reason}; check the indentation and quoting there",
                    line=mark.line + 1 if mark else None)
        ]
    except RecursionError:  # the pure-Python parser, where libyaml is missing, nests by recursion
        return None, {}, [Problem(display_name, f"is nested more than {MAX_YAML_DEPTH} levels deep")]
    if node is None:
        return None, {}, [Problem(display_name, "is empty")]
    return data, _key_lines(node), []


def validate(model: type[BaseModel], data: Any, lines: dict[tuple, int], display_name: str):
    """Validate ``data`` against ``model``; return (instance or None, problems)."""
    if not isinstance(data, dict):
        return None, [Problem(display_name, "must be a mapping of keys to values at the top level", line=1)]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            message = _fix_hint(item, model, loc)
            # a model-level check lists its findings with their own paths: "metrics[2].category: …; …"
            for part in message.split("; ") if not loc else [message]:
                nested = _NESTED.match(part)
                where = _path_tuple(nested.group(1)) if nested and not loc else loc
                text = nested.group(2) if nested and not loc else part
                problems.append(Problem(display_name, text, location=_path_text(where),
                                        line=_closest_line(lines, where)))
        return None, problems


# --- the loaded configuration -----------------------------------------------------------------


@dataclass
class Config:
    """Everything read from the config folder: what loaded, and every problem found."""

    folder: Path
    portfolios: list[Portfolio] = field(default_factory=list)
    organisations: OrganisationsFile | None = None
    settings: Settings = field(default_factory=Settings)
    problems: list[Problem] = field(default_factory=list)
    disabled: dict[str, str] = field(default_factory=dict)  # portfolio file → why it was left out
    # the portfolio ids and extract metric keys of files left out: their slides and rows are set aside
    disabled_ids: dict[str, str] = field(default_factory=dict)  # portfolio id → its file
    set_aside: set[str] = field(default_factory=set)
    meetings: dict[str, Meeting] = field(default_factory=dict)

    @property
    def metrics(self) -> dict[str, Metric]:
        return {m.id: m for p in self.portfolios for m in p.metrics}

    def portfolio_of(self, metric_id: str) -> Portfolio:
        return next(p for p in self.portfolios if any(m.id == metric_id for m in p.metrics))

    def portfolio(self, portfolio_id: str) -> Portfolio | None:
        return next((p for p in self.portfolios if p.id == portfolio_id), None)


def _load_file(folder: Path, relative: str, model: type[BaseModel]):
    data, lines, problems = read_yaml(folder / relative, relative)
    if problems:
        return None, problems
    return validate(model, data, lines, relative)


def load_config(folder: Path | str) -> Config:
    folder = Path(folder)
    config = Config(folder=folder)

    if (folder / "settings.yaml").exists():
        settings, problems = _load_file(folder, "settings.yaml", Settings)
        config.problems += problems
        config.settings = settings or Settings()
    else:
        config.problems.append(Problem("settings.yaml", "is missing; defaults are used", severity="warning"))

    organisations, problems = _load_file(folder, "organisations.yaml", OrganisationsFile)
    config.organisations = organisations
    config.problems += problems

    seen_ids: dict[str, str] = {}
    seen_portfolios: dict[str, str] = {}
    for path in sorted((folder / "portfolios").glob("*.yaml")):
        relative = f"portfolios/{path.name}"
        data, lines, problems = read_yaml(path, relative)
        portfolio = None
        if not problems:
            portfolio, problems = validate(Portfolio, data, lines, relative)
        if portfolio is not None:
            problems = _clashes(portfolio, relative, lines, seen_ids, seen_portfolios) + _unknown_target_organisations(
                portfolio, relative, lines, organisations)
        if problems:
            config.problems += problems
            config.disabled[relative] = str(problems[0])
            _note_disabled(config, relative, data)
            continue
        seen_portfolios[portfolio.id] = relative
        seen_ids.update({m.id: relative for m in portfolio.metrics})
        config.portfolios.append(portfolio)
    if not config.portfolios and not config.disabled:
        config.problems.append(Problem("portfolios/", "holds no portfolio files (*.yaml)"))
    config.portfolios.sort(key=lambda p: (p.order, p.title))
    _load_meetings(config)
    return config


def _note_disabled(config: Config, relative: str, data: Any) -> None:
    """What a portfolio file that could not be loaded would have held, as far as it can be read: its
    id, so that a meeting naming it says why it is left out, and its metrics' extract keys, so that
    their rows are set aside with one line instead of each reported as an unknown metric."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("id"), str):
        config.disabled_ids[data["id"]] = relative
    for metric in data.get("metrics") or []:
        if isinstance(metric, dict):
            source = metric.get("source") if isinstance(metric.get("source"), dict) else {}
            key = source.get("key") or metric.get("id")
            if isinstance(key, str):
                config.set_aside.add(key)


def _load_meetings(config: Config) -> None:
    """Each meeting file in config/meetings/; one that names an unknown portfolio, metric or
    organisation is reported and left out."""
    codes = _organisation_codes(config.organisations)
    for path in sorted((config.folder / "meetings").glob("*.yaml")):
        relative = f"meetings/{path.name}"
        meeting, problems = _load_file(config.folder, relative, Meeting)
        if meeting is not None:
            data, lines, _ = read_yaml(path, relative)
            problems = _meeting_references(config, meeting, relative, lines, codes)
        if problems:
            config.problems += problems
            continue
        config.meetings[meeting.id] = meeting


def _meeting_references(config: Config, meeting: Meeting, relative: str, lines, codes: set[str]) -> list[Problem]:
    problems = []
    if meeting.id in config.meetings:
        problems.append(Problem(relative, f"meeting id '{meeting.id}' is used twice", location="id",
                                line=lines.get(("id",))))
    if meeting.organisation and meeting.organisation not in codes:
        problems.append(Problem(relative, f"'{meeting.organisation}' is not in organisations.yaml",
                                location="organisation", line=lines.get(("organisation",))))
    for number, slide in enumerate(meeting.slides):
        if slide.portfolio and config.portfolio(slide.portfolio) is None:
            message = (f"the portfolio '{slide.portfolio}' could not be loaded ({config.disabled_ids[slide.portfolio]} "
                       "has errors): the meeting is left out until that file is fixed"
                       if slide.portfolio in config.disabled_ids else f"'{slide.portfolio}' is not a portfolio")
            problems.append(Problem(relative, message, location=f"slides[{number}].portfolio",
                                    line=lines.get(("slides", number, "portfolio"))))
        portfolio = config.portfolio(slide.portfolio) if slide.portfolio else None
        tables = [v.title for v in portfolio.views if v.kind in TABLE_KINDS] if portfolio else []
        if slide.show == "table" and portfolio and slide.view not in tables:
            problems.append(Problem(relative, f"'{slide.view}' is not a standards or heat table of {portfolio.title}: "
                                    f"choose one of {', '.join(tables) or '(it has none)'}",
                                    location=f"slides[{number}].view", line=lines.get(("slides", number, "view"))))
        if slide.metric and slide.metric not in config.metrics:
            problems.append(Problem(relative, f"'{slide.metric}' is not a metric of any portfolio",
                                    location=f"slides[{number}].metric", line=lines.get(("slides", number, "metric"))))
    return problems


def _organisation_codes(organisations: OrganisationsFile | None) -> set[str]:
    if organisations is None:
        return set()
    return {organisations.system.code} | {o.code for o in (*organisations.places, *organisations.providers,
                                                            *organisations.sites)}


def _unknown_target_organisations(portfolio: Portfolio, relative: str, lines, organisations) -> list[Problem]:
    """A target set for an organisation organisations.yaml does not know would silently apply to none."""
    codes = _organisation_codes(organisations)
    if not codes:
        return []
    return [Problem(relative, f"'{code}' is not in organisations.yaml: give the code of the organisation the target "
                              "is set for", location=f"metrics[{m}].targets[{t}].organisations",
                    line=lines.get(("metrics", m, "targets", t, "organisations")))
            for m, metric in enumerate(portfolio.metrics) for t, target in enumerate(metric.targets)
            for code in target.organisations or [] if code not in codes]


def _clashes(portfolio: Portfolio, relative: str, lines, seen_ids, seen_portfolios) -> list[Problem]:
    problems = []
    if portfolio.id in seen_portfolios:
        problems.append(Problem(relative, f"portfolio id '{portfolio.id}' is already used by {seen_portfolios[portfolio.id]}",
                                location="id", line=lines.get(("id",))))
    for number, metric in enumerate(portfolio.metrics):
        if metric.id in seen_ids:
            problems.append(Problem(relative, f"metric id '{metric.id}' is already used by {seen_ids[metric.id]}; "
                                    "metric ids must be unique across all portfolios",
                                    location=f"metrics[{number}].id", line=lines.get(("metrics", number, "id"))))
    return problems


def key_words(key: str) -> str:
    """A breakdown or level as a sentence says it: "imd_decile" → "imd decile"."""
    return key.replace("_", " ")
