"""The local stack: Firestore emulator, Cloud Tasks emulator, every function on one base URL.

`make run` runs this in the foreground; the tests start the same Stack on other ports. Ctrl-C or
SIGTERM stops every process it started (each runs in its own process group).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TASKS_EMULATOR = REPO / ".venv-tasks" / "bin" / "gcloud-tasks-emulator"


class StackError(RuntimeError):
    """The local stack cannot start; the message says what to do."""


def _die_with_parent() -> None:
    """Child-side: get SIGTERM if the stack process dies, even by SIGKILL (Linux prctl)."""
    import ctypes

    with contextlib.suppress(OSError):  # not Linux: the stack's own SIGTERM handling still applies
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float, proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise StackError(f"process for {url} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except Exception:
            time.sleep(0.25)
    raise StackError(f"{url} did not answer within {timeout:.0f}s")


def wait_port(port: int, timeout: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StackError(f"process for port {port} exited with {proc.returncode}")
        if not port_free(port):
            return
        time.sleep(0.2)
    raise StackError(f"nothing listened on port {port} within {timeout:.0f}s")


@dataclass
class Stack:
    port: int = 8080
    firestore_port: int = 8681
    tasks_port: int = 9123
    project: str = "linkflyt-local"
    outbox_dir: Path = REPO / "var" / "outbox"
    sms_dir: Path = REPO / "var" / "sms"
    log_dir: Path = REPO / "var" / "log"
    extra_env: dict[str, str] = field(default_factory=dict)
    workers: int = 2
    threads: int = 16
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @classmethod
    def on_free_ports(cls, root: Path, project: str, **extra_env: str) -> Stack:
        """A throwaway stack for tests and benchmarks: free ports, its own outbox and logs."""
        return cls(
            port=free_port(),
            firestore_port=free_port(),
            tasks_port=free_port(),
            project=project,
            outbox_dir=root / "outbox",
            sms_dir=root / "sms",
            log_dir=root / "log",
            extra_env=dict(extra_env),
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Locally everything comes from 127.0.0.1, so the cloud's 20/hour would stop a developer
        # (or a test run) after 20 posts; set RATE_LIMIT_PER_HOUR to try the limit itself.
        env.setdefault("RATE_LIMIT_PER_HOUR", "1000")
        env.update(
            {
                "GOOGLE_CLOUD_PROJECT": self.project,
                "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{self.firestore_port}",
                "CLOUD_TASKS_EMULATOR_HOST": f"127.0.0.1:{self.tasks_port}",
                "PUBLIC_BASE_URL": self.base_url,
                "OUTBOX_DIR": str(self.outbox_dir),
                "SMS_OUTBOX_DIR": str(self.sms_dir),
                "PYTHONPATH": str(REPO),
            }
        )
        env.update(self.extra_env)
        return env

    def check_prerequisites(self) -> None:
        missing = [tool for tool in ("gcloud", "java") if shutil.which(tool) is None]
        if missing:
            raise StackError(
                f"missing {', '.join(missing)}: install the Google Cloud CLI with the Firestore "
                "emulator component (apt package google-cloud-cli-firestore-emulator) and a Java "
                "runtime (apt package default-jre-headless)"
            )
        if not TASKS_EMULATOR.exists():
            raise StackError("the Cloud Tasks emulator venv is missing: run `make deps`")
        for name, port in (
            ("PORT", self.port),
            ("Firestore emulator", self.firestore_port),
            ("Cloud Tasks emulator", self.tasks_port),
        ):
            if not port_free(port):
                raise StackError(
                    f"port {port} ({name}) is already in use: stop what uses it "
                    f"(`ss -ltnp 'sport = :{port}'` shows it) or choose another, e.g. PORT=8090 make run"
                )

    def _spawn(self, args: Sequence[str], log_name: str) -> subprocess.Popen[bytes]:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{log_name}.log", "ab")  # noqa: SIM115 - lives as long as the child
        proc = subprocess.Popen(
            list(args),
            env=self.env(),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.procs.append(proc)
        return proc

    def start(self) -> Stack:
        self.check_prerequisites()
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        try:
            fs = self._spawn(
                [
                    "gcloud",
                    "emulators",
                    "firestore",
                    "start",
                    f"--host-port=127.0.0.1:{self.firestore_port}",
                    "--quiet",
                ],
                f"firestore-{self.firestore_port}",
            )
            wait_http(f"http://127.0.0.1:{self.firestore_port}/", 90, fs)
            tasks = self._spawn(
                [
                    str(TASKS_EMULATOR),
                    "start",
                    f"--port={self.tasks_port}",
                    "--max-retries=25",
                    "-q",
                ],
                f"tasks-{self.tasks_port}",
            )
            wait_port(self.tasks_port, 30, tasks)
            self.start_functions()
        except BaseException:
            self.stop()
            raise
        return self

    def sibling(self, root: Path, project: str, **extra_env: str) -> Stack:
        """Another set of functions on these emulators, with a project (so a database and
        queues) of its own: tests that change the centre's facilitators or rooms use one, so
        they cannot change what the other tests' pool runs find (issue 9)."""
        return Stack(
            port=free_port(),
            firestore_port=self.firestore_port,
            tasks_port=self.tasks_port,
            project=project,
            outbox_dir=root / "outbox",
            sms_dir=root / "sms",
            log_dir=root / "log",
            extra_env={**self.extra_env, **extra_env},
        )

    def start_functions(self) -> Stack:
        """Queues, the demo centre and the functions (the emulators already run)."""
        self.outbox_dir.mkdir(parents=True, exist_ok=True)
        try:
            self.create_queues()
            self.load_demo()
            web = self._spawn(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "scripts.serve:app",
                    f"--bind=127.0.0.1:{self.port}",
                    f"--workers={self.workers}",
                    f"--threads={self.threads}",
                    "--timeout=60",
                    "--log-level=warning",
                ],
                f"functions-{self.port}",
            )
            wait_http(f"{self.base_url}/intake", 60, web)
        except BaseException:
            self.stop()
            raise
        return self

    def _child_env(self) -> None:
        os.environ.update({k: v for k, v in self.env().items() if k != "PYTHONPATH"})
        from shared.config import reset_caches

        reset_caches()

    def create_queues(self) -> None:
        self._child_env()
        from shared.adapters.cloud_tasks import CloudTasksQueue
        from shared.config import get_settings
        from workflows.platform.chain import QUEUES, queue_name

        s = get_settings()
        q = CloudTasksQueue(
            s.google_cloud_project,
            s.tasks_location,
            s.task_url,
            emulator_host=s.cloud_tasks_emulator_host,
        )
        for step in QUEUES:
            q.ensure_queue(queue_name(s.queue_prefix, step))

    def load_demo(self) -> None:
        self._child_env()
        from scripts.demo import load

        load()

    def stop(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main() -> int:
    stack = Stack(
        port=int(os.environ.get("PORT", "8080")),
        firestore_port=int(os.environ.get("FIRESTORE_PORT", "8681")),
        tasks_port=int(os.environ.get("TASKS_PORT", "9123")),
        outbox_dir=Path(os.environ.get("OUTBOX_DIR", str(REPO / "var" / "outbox"))),
        sms_dir=Path(os.environ.get("SMS_OUTBOX_DIR", str(REPO / "var" / "sms"))),
    )
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(
        "linkflyt: starting the Firestore emulator, the Cloud Tasks emulator and the functions …",
        flush=True,
    )
    try:
        stack.start()
    except StackError as exc:
        print(f"linkflyt: cannot start: {exc}", file=sys.stderr)
        return 1
    from scripts.serve import FUNCTION_NAMES

    print("\nlinkflyt is running — LINK Bergen og omegn demo centre loaded\n", flush=True)
    print(f"  form (bokmål)   {stack.base_url}/intake")
    print(f"  form (nynorsk)  {stack.base_url}/intake?lang=nn")
    print(f"  form (English)  {stack.base_url}/intake?lang=en")
    coordinator = "koordinator@linkbergen.example"
    print(
        f"  console         {stack.base_url}/console  (sign in as {coordinator}; link in the outbox)"
    )
    for name in FUNCTION_NAMES:
        print(f"  {name:<15} {stack.base_url}/{name}")
    print(f"  Firestore       http://127.0.0.1:{stack.firestore_port} (emulator)")
    print(f"  Cloud Tasks     127.0.0.1:{stack.tasks_port} (emulator, gRPC)")
    print(f"  email outbox    {stack.outbox_dir}")
    print(f"  SMS outbox      {stack.sms_dir}")
    print(f"  logs            {stack.log_dir}\n\nCtrl-C stops everything.", flush=True)
    parent = os.getppid()
    try:
        while not stopping:
            if os.getppid() != parent:  # `make` was killed: nobody is left to interrupt us
                stopping = True
            for proc in stack.procs:
                if proc.poll() is not None:
                    print(
                        f"linkflyt: a child process exited ({proc.args!r}); stopping",
                        file=sys.stderr,
                    )
                    stopping = True
            time.sleep(0.5)
    finally:
        print("linkflyt: stopping …", flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
