"""The application factory: the one place that wires the database, the log-in throttle and the routes."""

from __future__ import annotations

import gc
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord import __version__
from accord.security.rate_limit import RateLimit, copy_limit
from accord.security.throttle import LoginThrottle
from accord.services import workbench
from accord.storage.database import Database
from accord.storage.login_failures import StoredFailures
from accord.web.app_paths import STATIC
from accord.web.capacity import (
    ANALYSIS_THREADS,
    JOB_THREADS,
    REQUEST_THREADS,
    SWITCH_INTERVAL,
    YOUNG_OBJECTS_PER_SWEEP,
)
from accord.web.errors import install_error_handlers
from accord.web.headers import SecurityHeaders
from accord.web.jobs import Jobs
from accord.web.limits import BodyLimit
from accord.web.request_threads import ArrivalOrder, oldest_first
from accord.web.request_timing import RequestTiming, probe_from_environment
from accord.web.requests_in_flight import InFlight, Serving, shared_directory
from accord.web.routes.analyses import router as analyses_router
from accord.web.routes.api import router as api_router
from accord.web.routes.auth import router as auth_router
from accord.web.routes.briefing import api as briefing_api
from accord.web.routes.briefing import pages as briefing_pages
from accord.web.routes.charts import router as charts_router
from accord.web.routes.charts import scripts as chart_scripts
from accord.web.routes.docs import router as docs_router
from accord.web.routes.drafting import pages as drafting_pages
from accord.web.routes.estimates import api as estimates_api
from accord.web.routes.estimates import pages as estimates_pages
from accord.web.routes.exchange import router as exchange_router
from accord.web.routes.fair_division import pages as fair_division_pages
from accord.web.routes.ingest import api as ingest_api
from accord.web.routes.ingest import pages as ingest_pages
from accord.web.routes.jobs import api as jobs_api
from accord.web.routes.jobs import pages as jobs_pages
from accord.web.routes.leaks import router as leaks_router
from accord.web.routes.on_behalf import pages as on_behalf_pages
from accord.web.routes.pages import router as pages_router
from accord.web.routes.papers import api as papers_api
from accord.web.routes.papers import pages as papers_pages
from accord.web.routes.people import api as people_api
from accord.web.routes.people import pages as people_pages
from accord.web.routes.preferences import pages as preferences_pages
from accord.web.routes.robustness import pages as robustness_pages
from accord.web.routes.stance_history import pages as stance_history_pages
from accord.web.routes.statements import api as statements_api
from accord.web.routes.statements import pages as statements_pages
from accord.web.schedule import CheckpointSchedule, take_checkpoints
from accord.web.translations import Language, catalogue, chosen_language, chosen_locale


def create_app(
    database: Database,
    *,
    https_only: bool = False,
    throttle: LoginThrottle | None = None,
    copies: RateLimit | None = None,
    threads: int = REQUEST_THREADS,
    checkpoints: CheckpointSchedule | None = None,
    language: str | None = None,
    locale: Path | None = None,
) -> FastAPI:
    """``https_only`` marks session cookies Secure (always set it behind HTTPS); ``threads``: request
    threads in this process (see REQUEST_THREADS); ``checkpoints``: sign the audit log's head on this
    schedule (see accord.web.schedule); ``language``: the pages' language (``$ACCORD_LANGUAGE``, else
    English), its catalogue from ``locale`` (``$ACCORD_LOCALE``, else the package's;
    accord.web.translations)."""

    probe = probe_from_environment()  # $ACCORD_PROFILE_REQUESTS: where each request's time goes

    @asynccontextmanager
    async def serving(_app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(workbench.preload, database)  # ready when it first answers
        # what is loaded by now lives as long as the process: keep it out of the collector's sweeps,
        # and sweep the young generation less often (each full sweep stopped every request for
        # 50-300 ms under load)
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_OBJECTS_PER_SWEEP, *gc.get_threshold()[1:])
        sys.setswitchinterval(SWITCH_INTERVAL)  # a waiting request thread gets the lock back sooner
        try:
            if checkpoints is None:
                yield
                return
            async with anyio.create_task_group() as background:
                background.start_soon(take_checkpoints, database, checkpoints)
                yield
                background.cancel_scope.cancel()
        finally:
            _app.state.jobs.close()  # unfinished jobs stop at their next step

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        oldest_first(anyio.to_thread.current_default_thread_limiter())  # a request waits once, not per turn
        if probe is not None:
            limiters = {
                "thread": anyio.to_thread.current_default_thread_limiter(),
                "analysis": _app.state.analysis,
            }
            async with probe.running(limiters), serving(_app):
                yield
            return
        async with serving(_app):
            yield

    app = FastAPI(
        lifespan=lifespan,
        title="accord workbench",
        version=__version__,
        description=(
            "The JSON API of the accord workbench: the same operations as the pages, under the same "
            "confidentiality policy. Log in with POST /api/login and send the token as "
            "`Authorization: Bearer TOKEN`."
        ),
        # the schema and its page only for signed-in users, drawn without another site's scripts
        # (accord.web.routes.docs) instead of FastAPI's Swagger UI from a CDN
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database
    app.state.language = language or chosen_language()
    # an unknown language, a language without a catalogue: refused here, before the first page
    app.state.translations = catalogue(app.state.language, locale or chosen_locale())
    app.state.https_only = https_only
    # failed log-ins in the database: the processes of `accord serve --workers N` count them together
    app.state.throttle = throttle or LoginThrottle(store=StoredFailures(database))
    app.state.copies = copies or copy_limit(app.state.throttle.store)  # fingerprinted copies per seat
    app.state.analysis = anyio.CapacityLimiter(ANALYSIS_THREADS)
    # long work off the request (accord.web.jobs), kept in the database for every process to read
    # a job's work waits at each step while any request of the server's processes is being answered
    in_flight = shared_directory()
    app.state.jobs = Jobs(database, JOB_THREADS, in_flight=in_flight)
    app.include_router(chart_scripts)  # /static/vega.js: before the static files' mount
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_error_handlers(app)
    app.add_middleware(Language)  # accord.web.translations.said: the app's language
    app.add_middleware(BodyLimit)  # request bodies over $ACCORD_MAX_BODY_BYTES: 413
    app.add_middleware(SecurityHeaders, https=https_only)  # every answer, a 413 and a 500 too
    app.add_middleware(ArrivalOrder)  # the request threads serve the oldest request first
    app.add_middleware(InFlight, serving=Serving(in_flight))  # counted for the jobs to wait on
    if probe is not None:
        app.add_middleware(RequestTiming, probe=probe)  # outermost: the whole of each request
    app.include_router(auth_router)
    # The JSON API first: a request is matched against the routes in order, and FastAPI's matching
    # costs a few microseconds a route (matched twice a request): the API's clients (scripts,
    # tools) send many small requests, a page's rendering dwarfs the routes it is matched past.
    # No page's path starts with /api/ and every API path does (tests/web/test_routes_order.py), so
    # the order changes no request's route.
    app.include_router(api_router)
    app.include_router(people_api)
    app.include_router(papers_api)
    app.include_router(statements_api)
    app.include_router(estimates_api)
    app.include_router(briefing_api)
    app.include_router(ingest_api)
    app.include_router(jobs_api)
    app.include_router(pages_router)
    app.include_router(people_pages)
    app.include_router(papers_pages)
    app.include_router(statements_pages)
    app.include_router(on_behalf_pages)
    app.include_router(stance_history_pages)
    app.include_router(drafting_pages)
    app.include_router(preferences_pages)
    app.include_router(estimates_pages)
    app.include_router(robustness_pages)
    app.include_router(jobs_pages)
    app.include_router(fair_division_pages)
    app.include_router(briefing_pages)
    app.include_router(ingest_pages)
    app.include_router(analyses_router)
    app.include_router(charts_router)
    app.include_router(leaks_router)
    app.include_router(exchange_router)
    app.include_router(docs_router)
    return app
