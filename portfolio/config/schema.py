"""The configuration schema: the pydantic models of the YAML files in config/ (portfolios,
organisations, settings and meetings), with no reading of files in it (that is ``loading``).

Every model forbids unknown keys, so a misspelt key is reported rather than ignored. What one
part of a file names elsewhere (a headline's metric, a provider's place) is checked in
``references`` once a file is valid. The schema is documented field by field in
``docs/configuration.md``; a test fails when the two differ.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from portfolio.config.months import Month

Unit = Literal["percent", "count", "duration", "days", "gbp", "rate", "ratio"]
MeasureType = Literal["monthly_total", "snapshot", "mean", "statistic", "year_to_date"]
Improvement = Literal["increase", "decrease", "neutral"]
OrgLevel = Literal["place", "provider", "site"]
ORG_LEVELS: tuple[str, ...] = get_args(OrgLevel)  # the levels below the system, top down
Snake = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
YEAR_MONTH = r"^(199\d|20\d\d)-(0[1-9]|1[0-2])$"  # 1990 to 2099
CONNECTION_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,62}$"  # a warehouse connection's name, never its URL
FINANCIAL_YEAR = r"^\d{4}/\d{2}$"
YearMonth = Annotated[str, Field(pattern=YEAR_MONTH), AfterValidator(Month)]
Months = Annotated[int, Field(ge=3, le=120)]  # how many months a chart or view shows
# line breaks, tabs and the other control characters, and the marks that turn text right to left
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]+")


class Strict(BaseModel):
    # allow_inf_nan: a target or a scale of .nan or .inf is an error, never a figure
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, data: Any) -> Any:
        """Text from the config is shown in titles, tables, charts and the board pack: in each text
        value, a control character or a line break (``label: |``) becomes a space, and the ends are
        trimmed. (A model validator, not a field validator, as a view's ``kind`` must reach pydantic
        as written to choose the view's class.)"""
        if not isinstance(data, dict):
            return data
        return {key: CONTROL.sub(" ", value).strip() if isinstance(value, str) else value for key, value in data.items()}


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
    year: Annotated[str, Field(pattern=FINANCIAL_YEAR)] = "2019/20"
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


def _plain_months_too(schema: dict[str, Any]) -> None:
    """In the JSON Schema, as in the YAML, a rebase may be written as a plain month (``- 2023-04``)."""
    schema["items"] = {"anyOf": [{"type": "string", "pattern": YEAR_MONTH}, schema["items"]]}


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
    rebase: list[Rebase] = Field([], json_schema_extra=_plain_months_too)
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
    months: Months = 24


# --- a portfolio's own views: one class per kind, told apart by `kind:` --------------------------
# A kind's class holds the keys it takes (a key another kind takes is refused with the keys this
# one allows) and what a meeting may do with it; a missing key is reported as "a <kind> view needs
# '<key>'", followed by the key's description where it has one. Each kind has one renderer, in
# components/portfolio_views.py.

PositionColumn = Literal["plan", "actual", "variance", "percent_of_plan", "year_plan", "underspend", "target"]
METRICS_TO_LIST = "the metrics to list"
BREAKDOWN = "the breakdown to show, such as "


class ViewSpec(Strict):
    """What every view has: a title, its kind, and the tab it goes in (views sharing a ``tab`` share one)."""

    title: str = Field(min_length=1, max_length=100)
    kind: str
    tab: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    table: ClassVar[bool] = False  # a standards or heat table, which a meeting can show as table slides

    @property
    def metric_ids(self) -> list[str]:
        """The metrics the view names: its ``metrics``, or its ``metric``, then its ``reference``."""
        named = [*getattr(self, "metrics", []), getattr(self, "metric", None), getattr(self, "reference", None)]
        return [m for m in named if m]

    @property
    def tab_title(self) -> str:
        return self.tab or self.title


class StandardsView(ViewSpec):
    """One row per metric, with its target, the selected organisation and each organisation within it."""

    kind: Literal["standards"]
    metrics: list[Snake] = Field(min_length=1, description=METRICS_TO_LIST)
    by: OrgLevel = "provider"
    organisations: list[str] = []
    table: ClassVar[bool] = True


class DistributionView(ViewSpec):
    """The metric stacked by a breakdown (weeks waited, say), month by month."""

    kind: Literal["distribution"]
    metric: Snake
    dimension: Snake = Field(description=BREAKDOWN + "weeks_band")
    months: Months = 24


class TrajectoryView(ViewSpec):
    """Actual against plan and target, with the months to target at the current rate."""

    kind: Literal["trajectory"]
    metric: Snake
    months: Months = 24


class HeatmapView(ViewSpec):
    """Organisations down, breakdown members across, each figure marked against its target."""

    kind: Literal["heatmap"]
    metric: Snake
    dimension: Snake = Field(description=BREAKDOWN + "weeks_band")
    by: OrgLevel = "provider"
    table: ClassVar[bool] = True


class PositionView(ViewSpec):
    """Organisations down and, for each metric, the columns in ``show``, as a finance table prints them."""

    kind: Literal["position"]
    metrics: list[Snake] = Field(min_length=1, description=METRICS_TO_LIST)
    by: OrgLevel = "provider"
    dimension: Snake | None = None
    show: list[PositionColumn] = ["plan", "actual", "variance"]
    cumulative: bool = False


class StatementView(ViewSpec):
    """An income and expenditure statement: one row per metric, one column per organisation."""

    kind: Literal["statement"]
    metrics: list[Snake] = Field(min_length=1, description=METRICS_TO_LIST)
    by: OrgLevel = "provider"


class WaterfallView(ViewSpec):
    """From the plan to the actual of the selected organisation, a bar for each organisation's variance."""

    kind: Literal["waterfall"]
    metric: Snake
    by: OrgLevel = "provider"


class FrameworkView(ViewSpec):
    """The portfolio's categories as themes, each with its narrative of actions and its metrics."""

    kind: Literal["framework"]


class KviView(ViewSpec):
    """Each metric with a ``kvi:``, its pledge, target and figures on its own basis."""

    kind: Literal["kvi"]


class MapView(ViewSpec):
    """A breakdown by place on a map, with each place's share."""

    kind: Literal["map"]
    metric: Snake
    dimension: Snake = Field(description=BREAKDOWN + "supplier_place")


class ComparisonView(ViewSpec):
    """Each member of a breakdown as a share of the metric beside its share of the ``reference`` metric."""

    kind: Literal["comparison"]
    metric: Snake
    reference: Snake = Field(description="the metric to compare with, such as the population served")
    dimension: Snake = Field(description=BREAKDOWN + "supplier_place")


class MilestonesView(ViewSpec):
    """The portfolio's milestones as they stood in the reporting month."""

    kind: Literal["milestones"]


View = Annotated[StandardsView | DistributionView | TrajectoryView | HeatmapView | PositionView | StatementView
                 | WaterfallView | FrameworkView | KviView | MapView | ComparisonView | MilestonesView,
                 Field(discriminator="kind")]
VIEW_KINDS: dict[str, type[ViewSpec]] = {get_args(cls.model_fields["kind"].annotation)[0]: cls
                                         for cls in get_args(get_args(View)[0])}


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
    views: list[View] = []
    reconcile: Reconcile | None = None
    milestones: list[Milestone] = []
    metrics: list[Metric] = Field(min_length=1)

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


class ExtractInfo(Strict):
    title: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    data_as_at: date
    refresh_days: Annotated[int, Field(ge=1)] = 31
    synthetic: bool = False
    # where the rows are read from: the file, or a warehouse connection named in the secrets (never a URL here)
    source: Annotated[str, Field(pattern=CONNECTION_NAME)] = "embedded"


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


def key_words(key: str) -> str:
    """A breakdown or level as a sentence says it: "imd_decile" → "imd decile"."""
    return key.replace("_", " ")
