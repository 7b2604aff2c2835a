"""Hints for the analyst who keeps the dashboard: what is not set up yet, with the file to write.
``python -m portfolio check`` prints them; the pages a board sees never name a file, so this is
where the file names go. A hint is not a problem: nothing is wrong, something could be added."""

from __future__ import annotations

from portfolio.config.commentary import commentary_problems, metric_commentary, portfolio_commentary, slide_problems
from portfolio.data.attendances import configured
from portfolio.figures.judgement import MET, variation_group
from portfolio.figures.workspace import Workspace
from portfolio.outputs.meetings import METRIC, PORTFOLIO, organisation, running_order


def hints(ws: Workspace) -> list[str]:
    found = []
    period = ws.engine.default_period()
    config = ws.config.folder
    for portfolio in ws.config.portfolios:
        if period and portfolio_commentary(ws.config.folder, portfolio.id, period) is None:
            found.append(f"{portfolio.title}: no narrative has been written for the front sheet; write "
                         f"{config / 'commentary' / 'portfolios' / portfolio.id / period}.md with the headings "
                         "'## Analyst narrative' and '## Lead commentary'")
        if not portfolio.charts:
            found.append(f"{portfolio.title}: no charts are set up, so its page has no Charts tab; add 'charts:' to its "
                         f"file in {config / 'portfolios'} (docs/configuration.md)")
        for summary in ws.engine.portfolio_summaries(portfolio.id, ws.tree.root, period) if period else []:
            if summary.status == MET and variation_group(summary) == "improvement" and summary.assurance_icon == "fail":
                found.append(f"{summary.metric.id}: meets its target and shows special cause improvement, yet its "
                             "assurance icon says it will consistently miss the target: its process limits may be "
                             "out of date. If the process changed for good, add a rebase (with its reason) from the "
                             "month it changed")
        for metric in portfolio.metrics:
            for rebase in metric.rebase:
                if not rebase.reason:
                    found.append(f"{metric.id}: the rebase at {rebase.month} has no reason, so its SPC chart says only "
                                 "that the limits were recalculated; give it a 'reason:'")
    found += commentary_problems(  # a portfolio that could not be loaded still owns its commentary
        config, {"metrics": set(ws.config.metrics) | ws.config.set_aside,
                 "portfolios": {p.id for p in ws.config.portfolios} | set(ws.config.disabled_ids)}, set(ws.tree.nodes))
    found += _slide_narratives(ws)
    if not any((config / "meetings").glob("*.yaml")):  # one with errors is a problem, said above
        found.append(f"no board meetings are set up: add a running order to {config / 'meetings'} (docs/configuration.md)")
    extract = configured(ws.config.settings, ws.data_dir)
    if extract is None:
        found.append("no patient-level A&E extract is set up: name its file under 'patient_level:' in "
                     f"{config / 'settings.yaml'} (its layout is in docs/extracts.md)")
    elif extract.path is None:
        found.append(f"the patient-level A&E extract '{extract.name}' leads outside the data folder, so it is not "
                     f"read: name a file inside the data folder under 'patient_level:' in {config / 'settings.yaml'}")
    elif not extract.path.is_file():
        found.append(f"the patient-level A&E extract {extract.name} is not in the data folder {ws.data_dir}: put it "
                     f"there, or correct its name under 'patient_level:' in {config / 'settings.yaml'}")
    return found


def _slide_narratives(ws: Workspace) -> list[str]:
    """Each narrative a meeting's slide shows that is too long for it, with the file to shorten."""
    found = []
    for meeting in ws.config.meetings.values():
        org = organisation(ws.config, meeting)
        for number, step in enumerate(running_order(ws.config, ws.engine, meeting), start=1):
            if step.kind == PORTFOLIO:
                kind, subject, note = "portfolios", step.portfolio, portfolio_commentary(
                    ws.config.folder, step.portfolio, meeting.period, org)
            elif step.kind == METRIC:
                kind, subject, note = "metrics", step.metric, metric_commentary(
                    ws.config.folder, step.metric, meeting.period, org)
            else:
                continue
            if note is None:
                continue
            path = ws.config.folder / "commentary" / kind / subject / (note.org or "") / f"{note.period}.md"
            found += [f"{meeting.id}, slide {number}: {problem}: shorten it in {path}, or the slide ends it with '…'"
                      for problem in slide_problems(note)]
    return found
