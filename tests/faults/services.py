"""Private services the fault tests own and break: Redis, a PostgreSQL cluster, gunicorn, Celery.

The shared PostgreSQL and Redis on this machine serve other test runs and must never be stopped,
so every service a test stops or restarts here is its own, on a free port, in a temporary folder.
The app processes (gunicorn, workers, beats) run the project's code with tests/faults/settings.py
against the test database that pytest-django created, so the test reads what they wrote.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _stop(proc: subprocess.Popen | None, sig=signal.SIGTERM, timeout: float = 10) -> None:
    """Stop a process started in its own session, with its children (a gunicorn's or a worker's)."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def current_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def app_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    """The environment of an app process: this test database, this secret key (so sessions made in
    the test process are valid there), no shared Redis unless a test passes its own REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "EMAIL_URL", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.faults.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=current_database_url(),
        SECRET_KEY=settings.SECRET_KEY,
        HRUF_VAR_DIR=str(var_dir),
        DEBUG="false",
        CELERY_TASK_ALWAYS_EAGER="false",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


class PrivateRedis:
    """A redis-server of our own, without persistence: stopping it loses its queues, as a crash would."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        assert wait_for(lambda: _port_open(self.port), 10), "private redis-server did not start"

    def stop(self) -> None:
        _stop(self.proc)
        assert wait_for(lambda: not _port_open(self.port), 10)

    def freeze(self) -> None:
        """Hung, not gone: connections are still accepted by the kernel, but nothing answers."""
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)


def postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(name)


def postgres_unavailable_reason() -> str | None:
    if not postgres_bin("initdb") or not postgres_bin("pg_ctl"):
        return "PostgreSQL server binaries (initdb, pg_ctl) not found"
    if not shutil.which("pg_dump") or not shutil.which("psql"):
        return "pg_dump and psql are needed to copy the test database"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a postgres user to run a private cluster"
    return None


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder on a free port; PostgreSQL refuses to run as
    root, so as root it runs as the postgres user, in a folder that user owns."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="hruf-fault-pg-"))
        self.data = self.dir / "data"
        self._as = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]
        self._run(postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")

    def _run(self, *cmd) -> None:
        subprocess.run([*self._as, *cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop")

    def copy_database(self, source_url: str, name: str) -> None:
        """A copy of the test database as it is now (schema, personas, sessions)."""
        subprocess.run(["psql", self.url("postgres"), "-qc", f"CREATE DATABASE {name}"], check=True,
                       stdout=subprocess.DEVNULL)
        dump = subprocess.run(["pg_dump", "--no-owner", source_url], check=True, capture_output=True, timeout=120)
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", self.url(name)], input=dump.stdout, check=True,
                       stdout=subprocess.DEVNULL, timeout=120)

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            try:
                self._run(postgres_bin("pg_ctl"), "-D", str(self.data), "-w", "-m", "immediate", "stop")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Gunicorn:
    """The app served as in production: gunicorn with sync workers, in its own process group."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "hruf.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers",
             str(workers), "--timeout", "60", "--graceful-timeout", "5", "--chdir", str(ROOT)],
            env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        assert wait_for(lambda: _port_open(self.port), 30), "gunicorn did not start"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        _stop(self.proc)
        self._log.close()


class CeleryProcess:
    """`celery worker` or `celery beat` of the project, in its own process group (SIGKILL takes the
    worker with its pool children, as a container runtime or the OOM killer would)."""

    def __init__(self, env: dict[str, str], log: Path, *args: str, app: str = "hruf"):
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, *args], env=env, cwd=ROOT,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    @classmethod
    def worker(cls, env, log, *, name: str, queues: str = "celery", concurrency: int = 1) -> CeleryProcess:
        return cls(env, log, "worker", "-n", f"{name}@%h", "-Q", queues, "-c", str(concurrency), "--loglevel",
                   "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        # At the end of a test nothing it holds matters (the tasks are idempotent): no warm shutdown.
        _stop(self.proc, signal.SIGKILL)
        self._log.close()
