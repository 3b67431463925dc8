"""Browser tests: the studio in Debian's chromium, headless (marker ``browser``; `.ci/run` installs
the browser). They use the real default model, so a typed prompt gives a program worth drawing.

A failing test saves a screenshot of its page next to the test report: in
``$CODEHONE_BROWSER_ARTIFACTS`` (default ``test-reports/browser/``), named after the test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.browser import browser, chromium_path, running_studio

ARTIFACTS = Path(os.environ.get("CODEHONE_BROWSER_ARTIFACTS", "test-reports/browser"))


@pytest.fixture(scope="session")
def chromium():
    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with browser() as b:
        yield b


@pytest.fixture(scope="session")
def studio_url():
    from codehone.backends import load_backend
    from codehone.blocks.studio.app import StudioSettings
    from codehone.models.catalogue import DEFAULT_MODEL

    backend = load_backend(DEFAULT_MODEL)
    try:
        with running_studio(backend, StudioSettings(max_tokens=200)) as url:
            yield url
    finally:
        backend.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and page is not None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{item.name}.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            report.sections.append(("screenshot", str(shot.resolve())))
        except Exception as e:  # noqa: BLE001 - a dead page must not hide the test's own failure
            report.sections.append(("screenshot", f"could not be taken: {e}"))


@pytest.fixture
def page(chromium, studio_url):
    context = chromium.new_context(viewport={"width": 1400, "height": 860}, accept_downloads=True)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda r: page.requests_seen.append(r.url))
    page.goto(studio_url + "/")
    page.wait_for_selector("#log li")
    yield page
    context.close()
