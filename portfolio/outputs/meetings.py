"""A meeting's running order: the slides of config/meetings/<id>.yaml expanded into steps, each a
slide made for the screen (and a section of the board pack): the system summary and its
exceptions, a portfolio's headlines, a metric's SPC chart, or a page of a standards or heat table.
Presenter mode draws them; a slide's link is the meeting and its number."""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.config.loading import Config
from portfolio.config.schema import Meeting
from portfolio.figures.engine import Engine
from portfolio.figures.judgement import exceptions
from portfolio.figures.views import table_shape

# How much of a table a slide holds at presenter type (24-pixel text, names wrapping onto a second
# line): rows of the exceptions (each also with its portfolio and change in words, so taller), rows
# of a standards or heat table, and such a table's columns of figures beside those every slide
# keeps (the names, a standards table's target and selected organisation).
EXCEPTIONS_PER_SLIDE = 5
ROWS_PER_SLIDE = 6
COLUMNS_PER_SLIDE = 5

SUMMARY, EXCEPTIONS, PORTFOLIO, METRIC, TABLE = "summary", "exceptions", "portfolio", "metric", "table"


@dataclass(frozen=True)
class Step:
    kind: str  # SUMMARY, EXCEPTIONS, PORTFOLIO, METRIC or TABLE
    title: str
    portfolio: str | None = None
    metric: str | None = None
    view: str | None = None  # a table slide's view, by its title
    rows: tuple[int, int] | None = None  # the rows a slide of a split table shows: [first, last)
    columns: tuple[int, int] | None = None  # and the columns of figures it shares out
    part: tuple[int, int] | None = None  # (n, of) where a table runs over several slides

    @property
    def heading(self) -> str:
        """The slide's title, saying which part of a table it shows: "Exceptions (2 of 4)"."""
        return f"{self.title} ({self.part[0]} of {self.part[1]})" if self.part and self.part[1] > 1 else self.title

    def params(self, meeting: Meeting, number: int, org: str) -> dict[str, str]:
        """The query parameters that reproduce this step of the meeting (``number`` from 1)."""
        return {"present": "1", "meeting": meeting.id, "slide": str(number), "period": meeting.period, "org": org}


def organisation(config: Config, meeting: Meeting) -> str:
    return meeting.organisation or config.organisations.system.code


def _split(total: int, most: int) -> list[tuple[int, int]]:
    """Ranges, [first, last), sharing ``total`` rows (or columns) as evenly as the fewest slides of
    at most ``most`` allow (11 rows: 4, 4 and 3, not 5, 5 and 1); one empty range for none, so
    that the slide still says so."""
    slides = max(1, -(-total // most))
    bounds = [round(n * total / slides) for n in range(slides + 1)]
    return list(zip(bounds, bounds[1:]))


def running_order(config: Config, engine: Engine, meeting: Meeting) -> list[Step]:
    """Every step in order. The summary's exceptions run on over slides of their own; a ``focus``
    slide becomes the deep dive of each of the portfolio's focus metrics in the meeting's month
    that the organisation reports; a table runs over as many slides as its rows need."""
    org, period = organisation(config, meeting), meeting.period
    steps = []
    for slide in meeting.slides:
        if slide.show == "overview":
            found = len(exceptions([s for p in config.portfolios for s in engine.portfolio_summaries(p.id, org, period)]))
            steps.append(Step(SUMMARY, config.settings.title))
            ranges = _split(found, EXCEPTIONS_PER_SLIDE) if found else []
            steps += [Step(EXCEPTIONS, "Exceptions, most serious first", rows=rows, part=(n, len(ranges)))
                      for n, rows in enumerate(ranges, start=1)]
        elif slide.show == "portfolio":
            steps.append(Step(PORTFOLIO, config.portfolio(slide.portfolio).title, portfolio=slide.portfolio))
        elif slide.show == "focus":
            for metric in config.portfolio(slide.portfolio).metrics:
                if metric.is_focus(period) and engine.available(metric.id, org):
                    steps.append(Step(METRIC, metric.label, metric=metric.id))
        elif slide.show == "table":
            view = next(v for v in config.portfolio(slide.portfolio).views if v.title == slide.view)
            rows, columns = table_shape(engine, engine.tree, view, org, period)
            pages = [(r, c) for r in _split(rows, ROWS_PER_SLIDE) for c in _split(columns, COLUMNS_PER_SLIDE)]
            steps += [Step(TABLE, view.title, portfolio=slide.portfolio, view=view.title, rows=r, columns=c,
                           part=(n, len(pages))) for n, (r, c) in enumerate(pages, start=1)]
        else:
            steps.append(Step(METRIC, config.metrics[slide.metric].label, metric=slide.metric))
    return steps
