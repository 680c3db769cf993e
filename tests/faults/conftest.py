"""Fixtures of the fault tests: private services started for one test and stopped after it.

These tests need PostgreSQL for the test database (the app processes they start share it with the
test); without it they skip. In CI (DATABASE_URL and the binaries present) they all run.
"""

import os
import shutil

import kombu
import pytest
from django.conf import settings

from hruf import celery_app

from .services import CeleryProcess, Gunicorn, PrivateRedis, app_env
from .smtp import SmtpSink

needs_postgres = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="the app processes share the test database: needs PostgreSQL (DATABASE_URL, as in CI)",
)


def missing(reason: str) -> None:
    """Skip on a laptop without the service; on CI a missing binary is a broken setup, not a pass."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required on CI)")
    pytest.skip(reason)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        missing("redis-server not found")
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp():
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture
def real_tasks():
    """Tasks go to a broker instead of running in the test (the suite's default is eager)."""
    celery_app.conf.task_always_eager = False


def send_task(task, broker_url: str, *args) -> None:
    """Enqueue as the app does, on the private broker the app processes of the test use."""
    with kombu.Connection(broker_url) as conn:
        task.apply_async(args=args, connection=conn)


class Launcher:
    """Starts app processes for one test; all of them are stopped when it ends."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.started = []

    def _log(self, name: str):
        return self.tmp_path / f"{len(self.started):02d}-{name}.log"

    def env(self, **overrides):
        return app_env(self.tmp_path / "var", **overrides)

    def gunicorn(self, env, workers: int = 2) -> Gunicorn:
        self.started.append(Gunicorn(env, self._log("gunicorn"), workers))
        return self.started[-1]

    def worker(self, env, name: str = "worker", **options) -> CeleryProcess:
        self.started.append(CeleryProcess.worker(env, self._log(name), name=name, **options))
        return self.started[-1]

    def beat(self, env, name: str = "beat", app: str = "hruf") -> CeleryProcess:
        env = {**env, "LOG_LEVEL": "INFO"}  # the settings' root level, over `--loglevel`: each task sent is logged
        self.started.append(CeleryProcess(env, self._log(name), "beat", "--loglevel", "INFO",
                                          "--schedule", str(self.tmp_path / f"{name}-schedule"), app=app))
        return self.started[-1]

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.tmp_path.glob("*.log")))


@pytest.fixture
def launch(tmp_path):
    launcher = Launcher(tmp_path)
    yield launcher
    for process in reversed(launcher.started):
        process.stop()
    print(launcher.logs())  # shown by pytest when the test failed
