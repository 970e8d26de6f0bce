"""Champion Circle: `python app.py` serves the bot; `python app.py --help` lists admin commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import gc
import getpass
import json
import logging
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import ValidationError
from sqlmodel import Session

from bot.assembly import build_endpoint, command_catalog, translator_for
from bot.budget import BudgetSharing, TeamsBudget
from bot.feature import Document, Export, Feature, Report, personal_data_of
from bot.outbox_sender import OutboxSender, SenderLimits, http_threads
from bot.web import BOT_ENDPOINT, DATABASE, MAX_BODY_BYTES, VERSION, add_routes
from config import VERSION as APP_VERSION
from config import Settings
from domain.clock import Clock, SystemClock
from domain.directory import RowError, decode_directory, parse_directory
from domain.i18n import SHIPPED_LANGUAGES, Translator
from domain.outbox import OutboxStatus
from domain.periods import parse_week, week_of
from domain.roles import ProgramRoles
from features.installed import INSTALLED_FEATURES
from manifest.builder import APP_TEXT_KEYS, MenuItem
from scheduling.jobs import JobCatalog, JobContext, JobSpec, platform_jobs
from scheduling.leadership import Leadership
from scheduling.scheduler import JobRunner, ProgramScheduler, list_jobs
from storage.audit import AuditTrail, audit_rows
from storage.database import Database
from storage.directory import EmployeeDirectory
from storage.leader_lock import leader_lock_for
from storage.links import ServedFile
from storage.migrations import current_revision, head_revision, upgrade
from storage.outbox import OutboxRepository
from storage.privacy import (
    Erasure,
    RequestKind,
    erase_on_request,
    export_person,
    find_person,
    record_request,
    subject_digest,
)
from storage.write_behind import WriteBehind

log = logging.getLogger("champion_circle")


class BackgroundWork:
    """The leader-only work of one replica: the scheduler and the outbox sender."""

    def __init__(self, scheduler: ProgramScheduler, sender: OutboxSender) -> None:
        self.scheduler = scheduler
        self.sender = sender
        self._sender_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.scheduler.start()
        self._sender_task = asyncio.create_task(self.sender.run(), name="outbox-sender")

    async def stop(self) -> None:
        await self.scheduler.shutdown()
        if self._sender_task is not None:
            self._sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sender_task
            self._sender_task = None


BACKGROUND = web.AppKey("background", BackgroundWork)
LEADERSHIP = web.AppKey("leadership", Leadership)


def job_catalog(
    settings: Settings, features: Sequence[Feature[Any]] = INSTALLED_FEATURES, extra: Sequence[JobSpec] = ()
) -> JobCatalog:
    catalog = JobCatalog()
    feature_jobs = [spec for feature in features for spec in feature.jobs(settings.default_timezone)]
    for spec in (*platform_jobs(), *feature_jobs, *extra):
        catalog.add(spec)
    return catalog


def job_context(
    settings: Settings, database: Database, clock: Clock, features: Sequence[Feature[Any]] = INSTALLED_FEATURES
) -> JobContext:
    return JobContext(
        database=database,
        clock=clock,
        dedupe_window=settings.dedupe_window,
        outbox_retention=timedelta(days=settings.outbox_retention_days),
        translate=translator_for(features, settings.default_locale, settings.default_timezone),
        roles=ProgramRoles(settings.program_leads, settings.program_sponsors),
        timezone=settings.default_timezone,
        form_lifetime=settings.form_lifetime,
        personal_data=personal_data_of(features),
        retention=settings.retention,
    )


class SchemaOutOfDate(RuntimeError):
    pass


def prepare_schema(settings: Settings, database: Database) -> None:
    """SQLite (one local process) migrates itself; PostgreSQL is migrated by `python app.py migrate`."""
    if settings.is_sqlite:
        upgrade(settings.database_url)
        return
    current, head = current_revision(database.engine), head_revision()
    if current != head:
        raise SchemaOutOfDate(
            f"database schema is at {current or 'nothing'}, the code needs {head}: run `python app.py migrate`"
        )


@contextlib.asynccontextmanager
async def sharing_the_budget(
    database: Database, budget: TeamsBudget, clock: Clock, settings: Settings
) -> AsyncIterator[None]:
    """On PostgreSQL (several replicas may serve one bot), replicas share Teams' budget."""
    if database.backend != "postgresql":
        yield
        return
    replica = f"{socket.gethostname()}:{settings.port}:{uuid.uuid4().hex[:8]}"
    sharing = asyncio.create_task(BudgetSharing(database, budget, clock, replica).run(), name="budget-sharing")
    try:
        yield
    finally:
        sharing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sharing


@contextlib.asynccontextmanager
async def writing_behind(write_behind: WriteBehind) -> AsyncIterator[None]:
    """Every replica writes what its turns handed over, and all of it before the database closes."""
    writing = asyncio.create_task(write_behind.run(), name="write-behind")
    try:
        yield
    finally:
        writing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await writing
        await write_behind.flush()


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    features: Sequence[Feature[Any]] = INSTALLED_FEATURES,
    jobs: Sequence[JobSpec] = (),
    budget: TeamsBudget | None = None,
) -> web.Application:
    clock = clock or SystemClock()
    # No automatic decompression: a body that only claims to be gzip would fail inside aiohttp
    # with a 500, and a compressed one could expand far beyond the size limit.
    app = web.Application(client_max_size=MAX_BODY_BYTES, handler_args={"auto_decompress": False})
    app[VERSION] = APP_VERSION

    async def signing_keys(app: web.Application) -> AsyncIterator[None]:
        """Every replica checks tokens, so every replica keeps the Bot Connector's signing keys fresh."""
        gate = app[BOT_ENDPOINT].gate
        if gate is not None:
            gate.keys.start()
        try:
            yield
        finally:
            if gate is not None:
                await gate.keys.close()

    async def lifespan(app: web.Application) -> AsyncIterator[None]:
        database = Database(settings.database_url, checkpoint_in_background=True)
        try:
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, prepare_schema, settings, database)
            app[DATABASE] = database
            endpoint = build_endpoint(settings, database, clock, features, budget)
            app[BOT_ENDPOINT] = endpoint
            # What start-up built (modules, the SDK, catalogs) lives as long as the process: keep
            # it out of the collector's full passes, whose pauses were the slowest turns.
            gc.collect()
            gc.freeze()
            adapter = endpoint.adapter
            async with (
                adapter.http,
                sharing_the_budget(database, adapter.budget, clock, settings),
                writing_behind(endpoint.write_behind),
            ):
                if not settings.run_background_work:
                    yield
                    return
                limits = SenderLimits(
                    requests_per_second=settings.outbox_rate_per_second, concurrency=settings.outbox_concurrency
                )
                background = BackgroundWork(
                    ProgramScheduler(
                        job_catalog(settings, features, jobs), job_context(settings, database, clock, features)
                    ),
                    OutboxSender(
                        database,
                        endpoint.adapter,
                        endpoint.authentication,
                        settings.microsoft_app_id,
                        clock,
                        limits=limits,
                        budget=adapter.budget,
                    ),
                )
                leadership = Leadership(
                    leader_lock_for(database.engine),
                    background.start,
                    background.stop,
                    interval=settings.leader_poll_seconds,
                    name=f"{settings.host}:{settings.port}",
                )
                app[BACKGROUND] = background
                app[LEADERSHIP] = leadership
                leading = asyncio.create_task(leadership.run(), name="leadership")
                try:
                    yield
                finally:
                    leadership.stop()
                    await leading
        finally:
            database.close()

    app.cleanup_ctx.append(lifespan)
    app.cleanup_ctx.append(signing_keys)
    add_routes(app)
    return app


# --- command line ----------------------------------------------------------------------


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr
    )


def cmd_serve(settings: Settings, _args: argparse.Namespace) -> int:
    if settings.anonymous:
        log.warning(
            "\n" + "!" * 78 + "\n"
            "  ANONYMOUS LOCAL MODE: MicrosoftAppId is empty, so requests are NOT authenticated.\n"
            "  Anyone who reaches http://%s:%s can act as any user. For local development only.\n" + "!" * 78,
            settings.host,
            settings.port,
        )
    loop = asyncio.new_event_loop()
    # The SDK sends HTTP with `requests` in the loop's default thread pool; size it for the
    # outbox's concurrency (the stock pool has min(32, cores + 4) threads). Set here, where
    # the process owns its loop, never in create_app: replacing the default executor of a
    # loop that other code uses would strand the work queued in the old one.
    loop.set_default_executor(ThreadPoolExecutor(max_workers=http_threads(settings.outbox_concurrency)))
    web.run_app(create_app(settings), host=settings.host, port=settings.port, print=None, loop=loop)
    return 0


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    upgrade(settings.database_url)
    log.info("database schema is at %s", head_revision())
    return 0


def manifest_texts(
    translate: Translator, features: Sequence[Feature[Any]]
) -> tuple[list[MenuItem], dict[str, dict[str, str]]]:
    """Teams' command menu (each command's `menu` scopes) and the app's texts, in every language."""
    menu = [
        MenuItem(
            command.menu,
            {
                language: (
                    translate(f"command.{command.id}.label", language),
                    translate(f"command.{command.id}.description", language),
                )
                for language in SHIPPED_LANGUAGES
            },
        )
        for command in command_catalog(translate, features)
        if command.menu
    ]
    app_texts = {
        language: {key: translate(f"manifest.{key.replace('.', '_')}", language) for key in APP_TEXT_KEYS}
        for language in SHIPPED_LANGUAGES
    }
    return menu, app_texts


def cmd_package(settings: Settings, args: argparse.Namespace) -> int:
    from manifest.builder import ManifestError, build_package

    app_id = args.app_id or settings.microsoft_app_id
    if not app_id:
        log.error(
            "cannot build the app package: it needs your Azure Bot's Microsoft App ID. Set MicrosoftAppId, "
            "or pass --app-id <GUID> (local mode has none: the Agents Playground needs no package)"
        )
        return 2
    menu, app_texts = manifest_texts(translator_for(INSTALLED_FEATURES), INSTALLED_FEATURES)
    try:
        path = build_package(
            app_id=app_id,
            domain=args.domain,
            version=args.version,
            output=Path(args.output),
            menu=menu,
            app_texts=app_texts,
        )
    except ManifestError as error:
        log.error("cannot build the app package: %s", error)
        return 2
    print(path)
    return 0


def _with_database(settings: Settings) -> Database:
    database = Database(settings.database_url, workers=2)
    prepare_schema(settings, database)
    return database


def cmd_jobs(settings: Settings, _args: argparse.Namespace) -> int:
    database = _with_database(settings)
    try:
        stored = {job_id: (trigger, next_run) for job_id, trigger, next_run in list_jobs(database.engine)}
        local = ZoneInfo(settings.default_timezone)
        print(f"{'job':42} {'schedule':28} next run ({settings.default_timezone})")
        for spec in job_catalog(settings):
            trigger, next_run = stored.get(spec.id, (str(spec.trigger), None))
            when = next_run.astimezone(local).isoformat(" ", "minutes") if next_run else "starts with the leader"
            print(f"{spec.id:42} {trigger:28} {when}")
    finally:
        database.close()
    return 0


def cmd_outbox(settings: Settings, _args: argparse.Namespace) -> int:
    database = _with_database(settings)
    try:
        counts, errors = database.transaction(
            lambda s: (OutboxRepository(s).counts(), OutboxRepository(s).recent_errors(10))
        )
        print("messages by status:")
        for status in OutboxStatus:
            print(f"  {status.value:8} {counts.get(status, 0)}")
        if errors:
            print("last errors:")
        for record in errors:
            when = record.updated_at.isoformat(" ", "seconds")
            print(f"  {when}  {record.status:7} attempts={record.attempts}  {record.dedupe_key}: {record.last_error}")
    finally:
        database.close()
    return 0


def cmd_run_job(settings: Settings, args: argparse.Namespace) -> int:
    catalog = job_catalog(settings)
    if catalog.get(args.name) is None:
        print(f"unknown job {args.name!r}; jobs: {', '.join(spec.id for spec in catalog)}", file=sys.stderr)
        return 2
    database = _with_database(settings)
    try:
        clock = SystemClock()
        runner = JobRunner(catalog, job_context(settings, database, clock))
        succeeded = asyncio.run(runner.run(args.name, clock.now()))
    finally:
        database.close()
    print(f"{args.name}: {'done' if succeeded else 'failed (see the log)'}")
    return 0 if succeeded else 1


DEMO_DIRECTORY = Path(__file__).resolve().parent / "demo" / "people.csv"


def load_demo(
    session: Session, now: datetime, features: Sequence[Feature[Any]] = INSTALLED_FEATURES
) -> tuple[int, int] | None:
    """The sample directory and every feature's sample data: (people, sample rows); None, and
    nothing changed, when the directory holds anyone who is not in the demo."""
    parsed = parse_directory(DEMO_DIRECTORY.read_text(encoding="utf-8"))
    demo_emails = {employee.email for employee in parsed.employees}
    directory = EmployeeDirectory(session)
    if any(email not in demo_emails for email in directory.emails()):
        return None
    directory.apply_import(parsed.employees, now)
    samples = sum(feature.sample_data(session, now) for feature in features if feature.sample_data)
    return len(parsed.employees), samples


def cmd_demo(settings: Settings, _args: argparse.Namespace) -> int:
    """Load the sample directory and each feature's sample data into a local database."""
    # Never against a real deployment: only a local SQLite database of a bot without an app id.
    if not settings.is_sqlite or not settings.anonymous:
        print(
            "the demo only loads into a local SQLite database of a bot without MicrosoftAppId; "
            f"this one is {'PostgreSQL' if not settings.is_sqlite else 'a registered bot'}: nothing loaded",
            file=sys.stderr,
        )
        return 2
    database = _with_database(settings)
    try:
        now = SystemClock().now()
        loaded = database.transaction(lambda session: load_demo(session, now))
    finally:
        database.close()
    if loaded is None:
        print("this database already holds a directory of real people: the demo left it alone", file=sys.stderr)
        return 2
    people, samples = loaded
    print(
        f"demo loaded: {people} people in Milan, Rome and Bangkok, {samples} sample rows (champions). "
        "Chat as Alex Wilber (alexw@example.com); run with PROGRAM_LEADS=alexw@example.com for the lead's view."
    )
    return 0


def cmd_import_directory(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        print(f"cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2
    text = decode_directory(raw)
    if isinstance(text, RowError):
        print(f"{path}, line {text.line}: {text.reason}; nothing imported", file=sys.stderr)
        return 2
    parsed = parse_directory(text)
    for problem in parsed.errors:
        print(f"line {problem.line}: {problem.reason}", file=sys.stderr)
    if not parsed.employees or (args.strict and parsed.errors):
        reason = "no valid rows" if not parsed.employees else f"{len(parsed.errors)} bad row(s) and --strict"
        print(f"nothing imported: {reason}", file=sys.stderr)
        return 2
    database = _with_database(settings)
    try:
        now = SystemClock().now()
        summary = database.transaction(
            lambda s: EmployeeDirectory(s).apply_import(parsed.employees, now, untouched=parsed.skipped_emails)
        )
    finally:
        database.close()
    print(
        f"imported {len(parsed.employees)} people: {summary.created} new, {summary.updated} updated, "
        f"{summary.reactivated} back, {summary.deactivated} no longer in the file (marked inactive); "
        f"{len(parsed.errors)} bad row(s) skipped (those people were left as they were)"
    )
    return 1 if parsed.errors else 0


PLATFORM_REPORTS = (Export("audit", "the audit trail of lead actions, oldest first, with its hashes", audit_rows),)


def reports(features: Sequence[Feature[Any]] = INSTALLED_FEATURES) -> dict[str, Export]:
    """The platform's and every installed feature's CSV reports, by name."""
    exports = [*PLATFORM_REPORTS, *(export for feature in features for export in feature.exports)]
    return {export.name: export for export in exports}


def documents(features: Sequence[Feature[Any]] = INSTALLED_FEATURES) -> dict[str, Document]:
    """Every installed feature's documents about one record, by name."""
    return {document.name: document for feature in features for document in feature.documents}


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """A feature's report as CSV, e.g. `export coverage` (units worst first) or `export feedback`;
    or a document about one record, e.g. `export draw 7`, as files in a folder."""
    if args.report in documents():
        return _export_document(settings, args)
    report = reports()[args.report]
    week, since = getattr(args, "week", None), getattr(args, "since", None)
    if week is not None and report.weekly is None:
        print(f"export {args.report} has no weeks; leave out --week", file=sys.stderr)
        return 2
    if since is not None and report.dated is None:
        print(f"export {args.report} is not kept by date; leave out --since", file=sys.stderr)
        return 2
    database = _with_database(settings)
    operator = getpass.getuser()

    def work(session: Session) -> Report:
        what = " ".join(part for part in (args.report, week, since.date().isoformat() if since else None) if part)
        AuditTrail(session).record(operator, "data.export", what, SystemClock().now())
        if week is not None and report.weekly is not None:
            return report.weekly(session, week)
        if since is not None and report.dated is not None:
            return report.dated(session, since)
        return report.rows(session)

    try:
        header, rows = database.transaction(work)
    finally:
        database.close()
    output = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8", newline="")  # noqa: SIM115
    try:
        writer = csv.writer(output)
        writer.writerow(header)
        writer.writerows(rows)
    finally:
        if output is not sys.stdout:
            output.close()
    if args.output != "-":
        print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    return 0


def _export_document(settings: Settings, args: argparse.Namespace) -> int:
    if args.id is None or not args.id.isdigit():
        print(f"export {args.report} needs the record's number, e.g. export {args.report} 7", file=sys.stderr)
        return 2
    database = _with_database(settings)
    operator = getpass.getuser()

    def work(session: Session) -> list[ServedFile]:
        AuditTrail(session).record(operator, "data.export", f"{args.report} {args.id}", SystemClock().now())
        return documents()[args.report].files(session, int(args.id))

    try:
        files = database.transaction(work)
    finally:
        database.close()
    if not files:
        print(f"no {args.report} {args.id} to export (it may not exist yet, or not be ready)", file=sys.stderr)
        return 1
    folder = Path("." if args.output == "-" else args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for file in files:
        (folder / file.name).write_bytes(file.body)
        print(f"wrote {folder / file.name}", file=sys.stderr)
    return 0


def _since(text: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(text.strip()), time(), tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day such as 2026-11-01") from None


def _iso_week(text: str) -> str:
    monday = parse_week(text)
    if monday is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO week such as 2026-W49")
    return week_of(monday)


def cmd_audit_verify(settings: Settings, _args: argparse.Namespace) -> int:
    """Check the audit trail's hash chain: exit 0 when intact, 1 with every break listed."""
    database = _with_database(settings)

    def check(session: Session) -> tuple[int, list[str]]:
        trail = AuditTrail(session)
        rows = trail.all_rows()
        return len(rows), trail.verify(rows)

    try:
        count, problems = database.transaction(check)
    finally:
        database.close()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"the audit trail was changed: {len(problems)} break(s) in {count} entries", file=sys.stderr)
        return 1
    print(f"the audit trail is intact: {count} entries")
    return 0


def cmd_privacy_export(settings: Settings, args: argparse.Namespace) -> int:
    """Everything the bot keeps about one person, as JSON (a data subject's access request)."""
    database = _with_database(settings)
    declarations = personal_data_of(INSTALLED_FEATURES)
    requested_by = args.by or getpass.getuser()

    def work(session: Session) -> dict[str, Any] | None:
        person = find_person(session, args.person)
        now = SystemClock().now()
        record_request(session, RequestKind.EXPORT, args.person, requested_by, "cli", now)
        # Whom it was about only as the request log's digest: the trail outlives an erasure.
        AuditTrail(session).record(requested_by, "privacy.export", subject_digest(session, args.person, now), now)
        return export_person(session, person, declarations) if person is not None else None

    try:
        data = database.transaction(work)
    finally:
        database.close()
    if data is None:
        print(f"the bot keeps nothing about {args.person!r} (the request is recorded)", file=sys.stderr)
        return 1
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"wrote the data kept about {args.person} to {args.output}", file=sys.stderr)
    return 0


def cmd_privacy_erase(settings: Settings, args: argparse.Namespace) -> int:
    """Erase one person (a data subject's erasure request), after showing what goes."""
    database = _with_database(settings)
    declarations = personal_data_of(INSTALLED_FEATURES)
    requested_by = args.by or getpass.getuser()
    now = SystemClock().now()
    context = job_context(settings, database, SystemClock())
    erasure = Erasure(now, requested_by, context.messaging)

    def preview(session: Session) -> dict[str, Any] | None:
        person = find_person(session, args.person)
        return export_person(session, person, declarations) if person is not None else None

    def work(session: Session) -> bool:
        person = erase_on_request(session, args.person, declarations, erasure, "cli")
        AuditTrail(session).record(requested_by, "privacy.erase", subject_digest(session, args.person, now), now)
        return person is not None

    try:
        if not args.yes:
            data = database.transaction(preview)
            if data is None:
                print(f"the bot keeps nothing about {args.person!r}", file=sys.stderr)
                return 1
            for part, sections in data.items():
                kept = {name: len(value) if isinstance(value, list) else 1 for name, value in sections.items()}
                print(f"{part}: " + (", ".join(f"{name} {count}" for name, count in kept.items()) or "nothing"))
            print("nothing was erased: add --yes to erase all of this", file=sys.stderr)
            return 1
        erased = database.transaction(work)
    finally:
        database.close()
    if not erased:
        print(f"the bot keeps nothing about {args.person!r} (the request is recorded)", file=sys.stderr)
        return 1
    print(f"erased what the bot kept about {args.person}; the request is recorded", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="Champion Circle, the Microsoft Teams bot for champions programs. "
        "Settings come from the environment or .env (see README).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("serve", help="serve the bot on HOST:PORT (the default command)").set_defaults(run=cmd_serve)
    commands.add_parser("migrate", help="upgrade the database schema to the newest version").set_defaults(
        run=cmd_migrate
    )
    package = commands.add_parser("package", help="build the Teams app package (build/appPackage.zip)")
    package.add_argument("--app-id", help="the bot's Microsoft App ID (default: MicrosoftAppId)")
    package.add_argument("--domain", required=True, help="the bot's public host name, e.g. champions.contoso.com")
    package.add_argument("--version", default=APP_VERSION, help=f"app package version (default {APP_VERSION})")
    package.add_argument("--output", default="build/appPackage.zip", help="where to write the zip")
    package.set_defaults(run=cmd_package)
    commands.add_parser("jobs", help="list the scheduled jobs and their next run").set_defaults(run=cmd_jobs)
    commands.add_parser("outbox", help="proactive messages by status, and the last errors").set_defaults(run=cmd_outbox)
    run_job = commands.add_parser("run-job", help="run a scheduled job now (e.g. to test it)")
    run_job.add_argument("name", help="the job's id, as `jobs` lists it")
    run_job.set_defaults(run=cmd_run_job)
    directory = commands.add_parser(
        "import-directory", help="import the employee directory from an HR export (CSV; see README)"
    )
    directory.add_argument("file", help="the CSV file")
    directory.add_argument("--strict", action="store_true", help="import nothing if any row is bad")
    directory.set_defaults(run=cmd_import_directory)
    commands.add_parser(
        "demo", help="load a sample directory and champions into the local SQLite database (never in production)"
    ).set_defaults(run=cmd_demo)
    available: dict[str, Export | Document] = {**reports(), **documents()}
    export = commands.add_parser(
        "export", help=f"write a report as CSV, or a record's documents: {', '.join(sorted(available))}"
    )
    export.add_argument(
        "report",
        choices=sorted(available),
        help="; ".join(f"{name}: {export.description}" for name, export in sorted(available.items())),
    )
    export.add_argument("id", nargs="?", help="the record's number, for a document (e.g. export draw 7)")
    export.add_argument("--week", type=_iso_week, help="an ISO week for a weekly report, e.g. 2026-W49 (export digest)")
    export.add_argument(
        "--since", type=_since, help="only rows from this day on (UTC), e.g. 2026-11-01, for reports kept by date"
    )
    export.add_argument(
        "--output", "-o", default="-", help="the CSV file (default: standard output); for a document, the folder"
    )
    export.set_defaults(run=cmd_export)
    audit = commands.add_parser("audit", help="the audit trail of lead actions: check that nobody changed it")
    audit_requests = audit.add_subparsers(dest="request", metavar="REQUEST", required=True)
    audit_requests.add_parser(
        "verify", help="check the hash chain; exit 1 if an entry was changed or removed"
    ).set_defaults(run=cmd_audit_verify)
    privacy = commands.add_parser(
        "privacy", help="a person's data rights: export or erase what the bot keeps about them"
    )
    requests = privacy.add_subparsers(dest="request", metavar="REQUEST", required=True)
    privacy_export = requests.add_parser("export", help="everything kept about a person, as JSON")
    privacy_export.add_argument("person", help="their email, UPN or Entra object id")
    privacy_export.add_argument("--output", "-o", default="-", help="the JSON file (default: standard output)")
    privacy_export.add_argument("--by", help="who asks, for the request log (default: your user name)")
    privacy_export.set_defaults(run=cmd_privacy_export)
    privacy_erase = requests.add_parser(
        "erase", help="erase a person: what identifies them goes, the aggregates stay (shows what first)"
    )
    privacy_erase.add_argument("person", help="their email, UPN or Entra object id")
    privacy_erase.add_argument("--yes", action="store_true", help="erase (without it, only show what would go)")
    privacy_erase.add_argument("--by", help="who asks, for the request log (default: your user name)")
    privacy_erase.set_defaults(run=cmd_privacy_erase)
    parser.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(f"Invalid configuration:\n{error}", file=sys.stderr)
        return 2
    _configure_logging(settings)
    try:
        return int(args.run(settings, args))
    except SchemaOutOfDate as error:
        log.error("%s", error)
        return 2


if __name__ == "__main__":
    sys.exit(main())
