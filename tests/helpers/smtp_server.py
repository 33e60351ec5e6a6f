"""A real SMTP server process for the tests (issue 11): aiosmtpd with TLS (STARTTLS required, or
implicit TLS) and AUTH required, saving each accepted message as a .eml file.

    python -m tests.helpers.smtp_server PORT starttls|ssl CERTCHAIN.pem USER PASSWORD OUTDIR
"""

from __future__ import annotations

import signal
import ssl
import sys
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Save:
    def __init__(self, out: Path) -> None:
        self.out = out

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = self.out / f"{time.time_ns()}.eml"
        tmp = name.with_suffix(".tmp")
        tmp.write_bytes(envelope.original_content or envelope.content)
        tmp.rename(name)
        return "250 OK"


def authenticator(user: str, password: str) -> Any:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login == user.encode()
            and data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return check


def main() -> None:
    port, mode, chain, user, password, out = sys.argv[1:7]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(chain)
    common: dict[str, Any] = {
        "hostname": "127.0.0.1",
        "port": int(port),
        "auth_required": True,
        "auth_require_tls": True,
        "authenticator": authenticator(user, password),
    }
    if mode == "starttls":
        controller = Controller(Save(Path(out)), tls_context=ctx, require_starttls=True, **common)
    else:
        # implicit TLS: the whole session is encrypted, but aiosmtpd only counts STARTTLS as TLS
        common["auth_require_tls"] = False
        controller = Controller(Save(Path(out)), ssl_context=ctx, **common)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
