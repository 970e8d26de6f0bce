"""The draw report for the official at the draw (a notary or a Chamber of Commerce official
in Italy), in English, Italian and Thai: the rules, the commitments, the seed's inputs, the
winners and alternates, what happened after, and how to rerun it. Written with the draw's
published data by `python app.py export draw ID`, and served to leads by link."""

from __future__ import annotations

from functools import cache

from sqlmodel import Session

from domain.i18n import KERNEL_LOCALES, Texts, Translator, load_catalogs
from features.lottery.domain import ALGORITHM, DrawStatus
from features.lottery.files import read_published
from features.lottery.storage import Draw, Draws
from features.lottery.views import schedule_lines
from features.lottery.workflows import registry_of
from storage.links import ServedFile

REPORT_LANGUAGES = ("en", "it", "th")


@cache
def _translator() -> Translator:
    return Translator(load_catalogs((KERNEL_LOCALES, "features.lottery.locales")))


def report(session: Session, draw_id: int, language: str) -> str | None:
    """The report as Markdown, in `language`; None before entries close."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None or found.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
        return None
    t = Texts(_translator(), language, "UTC")
    listed = registry_of(draws, draw_id)
    audience = t(f"lottery.audience_{found.audience.kind.value}")
    lines = [
        f"# {t('lottery.report_title', name=found.name)}",
        "",
        t("lottery.report_intro", algorithm=ALGORITHM),
        "",
        f"## {t('lottery.report_rules')}",
        "",
        *[f"{number}. {prize.name} × {prize.quantity}" for number, prize in enumerate(found.prizes, start=1)],
        "",
        f"- {t('lottery.opens')}: {t.moment(found.opens_at)} (UTC)",
        f"- {t('lottery.closes')}: {t.moment(found.closes_at)} (UTC)",
        f"- {t('lottery.audience')}: {audience} {', '.join(found.audience.units)}",
        *[f"- {line}" for line in schedule_lines(t, found.rules)],
        f"- {t('lottery.alternates_label')}: {found.alternates}",
        "",
        f"## {t('lottery.report_commitment')}",
        "",
        f"- {t('lottery.tickets')}: {len(listed)}",
        f"- {t('lottery.people')}: {len({entry.pseudonym for entry in listed})}",
        f"- {t('lottery.registry_hash')}: `{found.registry_hash}`",
        f"- {t('lottery.merkle_root')}: `{found.merkle_root}`",
        f"- {t('lottery.exclusion_hash')}: `{found.exclusion_hash}`",
        f"- {t('lottery.secret_commitment')}: `{found.secret_commitment}`",
    ]
    if found.beacon is not None:
        lines.append(f"- {t('lottery.beacon')}: drand `{found.beacon.chain_hash}`, round {found.beacon.round}")
    if found.committed_at is not None:
        lines.append(f"- {t('lottery.report_committed_at')}: {t.moment(found.committed_at)} (UTC)")
    if found.status is DrawStatus.DRAWN:
        lines += _draw_section(draws, found, t)
    lines += ["", f"## {t('lottery.report_verify')}", "", t("lottery.report_verify_how", draw=draw_id), ""]
    return "\n".join(lines)


def _draw_section(draws: Draws, draw: Draw, t: Texts) -> list[str]:
    """The seed's inputs, every pick in order, and what happened after (pseudonyms only: who
    won is for the leads' card)."""
    lines = ["", f"## {t('lottery.report_draw')}", ""]
    if draw.drawn_at is not None:
        lines.append(f"- {t('lottery.report_drawn_at')}: {t.moment(draw.drawn_at)} (UTC)")
    if draw.beacon is not None and draw.beacon.randomness:
        lines += [
            f"- {t('lottery.report_randomness')}: `{draw.beacon.randomness}`",
            f"- {t('lottery.report_signature')}: `{draw.beacon.signature}`",
        ]
    else:
        lines.append(f"- {t('lottery.beacon')}: {t('lottery.beacon_unreachable')} ({draw.beacon_problem})")
    lines += [f"- {t('lottery.report_secret')}: `{draw.secret}`", f"- {t('lottery.seed')}: `{draw.seed}`", ""]
    lines += [f"| # | {t('lottery.report_place')} | {t('lottery.report_ticket')} | {t('lottery.report_pseudonym')} |"]
    lines += ["|---|---|---|---|"]
    for event in draws.events(draw.id):
        if event.kind == "picked":
            place = draw.prizes[event.prize].name if event.prize is not None else t("lottery.report_alternate")
            lines.append(f"| {event.slot} | {place} | {event.ticket_id} | {event.pseudonym} |")
    later = [event for event in draws.events(draw.id) if event.kind != "picked"]
    if later:
        lines += ["", f"### {t('lottery.report_after')}", ""]
        for event in later:
            said = t(f"lottery.report_event_{event.kind}", slot=event.slot, ticket=event.ticket_id)
            lines.append(f"- {t.moment(event.at)} (UTC): {said}" + (f" — {event.reason}" if event.reason else ""))
    return lines


def export_files(session: Session, draw_id: int) -> list[ServedFile]:
    """`python app.py export draw ID`: the published data and the report in each language."""
    published = read_published(session, draw_id)
    if published is None:
        return []
    files = [published]
    for language in REPORT_LANGUAGES:
        written = report(session, draw_id, language)
        if written is not None:
            files.append(ServedFile(f"draw-{draw_id}-report-{language}.md", "text/markdown", written.encode()))
    return files
