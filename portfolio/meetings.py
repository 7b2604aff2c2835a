"""A meeting's running order: the slides of config/meetings/<id>.yaml expanded into steps, each a
view of the dashboard that a link reaches (page, period, organisation, view, metric)."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.config import Config, Meeting
from portfolio.engine import Engine

OVERVIEW, DEEP_DIVE = "", "deep-dive"  # the pages' URL paths; a portfolio's is its id


@dataclass(frozen=True)
class Step:
    page: str  # the URL path of the page that shows it
    title: str
    view: str | None = None  # a portfolio page's tab
    metric: str | None = None  # a deep dive's metric

    def params(self, meeting: Meeting, number: int, org: str) -> dict[str, str]:
        """The query parameters that reproduce this step of the meeting (``number`` from 1)."""
        params = {"present": "1", "meeting": meeting.id, "slide": str(number), "period": meeting.period, "org": org}
        if self.view:
            params["view"] = self.view
        if self.metric:
            params["metric"] = self.metric
        return params


def organisation(config: Config, meeting: Meeting) -> str:
    return meeting.organisation or config.organisations.system.code


def running_order(config: Config, engine: Engine, meeting: Meeting) -> list[Step]:
    """Every step in order; a ``focus`` slide becomes the deep dive of each of the portfolio's
    focus metrics in the meeting's month that the organisation reports."""
    org = organisation(config, meeting)
    steps = []
    for slide in meeting.slides:
        if slide.show == "overview":
            steps.append(Step(OVERVIEW, config.settings.title))
        elif slide.show == "portfolio":
            portfolio = config.portfolio(slide.portfolio)
            steps.append(Step(portfolio.id, f"{portfolio.title}: {slide.view.lower()}", view=slide.view))
        elif slide.show == "focus":
            for metric in config.portfolio(slide.portfolio).metrics:
                if metric.is_focus(meeting.period) and engine.available(metric.id, org):
                    steps.append(Step(DEEP_DIVE, metric.label, metric=metric.id))
        else:
            steps.append(Step(DEEP_DIVE, config.metrics[slide.metric].label, metric=slide.metric))
    return steps
