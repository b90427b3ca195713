# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A second Odoo server acting as the supplier's platform, for the connector
tests (tests/test_connector.py): a real ``python3 -m odoo`` process on its own
port and database, which tools/test.sh installed (erp_key_user + rpc) and set
up (tools/setup_platform.py: customers, instances, portal key users and their
API keys). ``tests/conftest.py`` starts it once per pytest session.

tools/test.sh passes, in the environment:
    ERP_KEY_USER_PLATFORM_DB      the platform's database
    ERP_KEY_USER_PLATFORM_STATE   the JSON written by tools/setup_platform.py
    ODOO_PY, ADDONS_PATH, PGHOST, PGPORT, PGUSER   how to run Odoo there"""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import psutil
import requests

START_TIMEOUT = 60  # seconds: a loaded CI machine loads the registry slowly
# what the connector scenarios saw, printed at the end of the pytest session
# (tests/conftest.py, pytest_terminal_summary)
SCENARIO_REPORT = []


class PlatformServerError(RuntimeError):
    pass


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PlatformServer:
    """``start()``, ``stop()``, ``pause()`` / ``resume()`` (SIGSTOP/SIGCONT:
    a platform that accepts connections but does not answer), ``url``,
    ``state`` (ids and keys of the hosted setup) and ``call`` (JSON-2 as one
    of its users, e.g. the support agent)."""

    def __init__(self, database, state_path, log_path):
        self.database = database
        with open(state_path, encoding="utf-8") as file:
            self.state = json.load(file)
        self.log_path = Path(log_path)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None

    @classmethod
    def from_environment(cls):
        database = os.environ.get("ERP_KEY_USER_PLATFORM_DB")
        state_path = os.environ.get("ERP_KEY_USER_PLATFORM_STATE")
        if not (database and state_path and os.path.exists(state_path)):
            raise PlatformServerError(
                "the supplier's platform is not set up: run the tests with "
                "`make test` (tools/test.sh installs and sets up its database "
                "and sets ERP_KEY_USER_PLATFORM_DB / ERP_KEY_USER_PLATFORM_STATE)"
            )
        log_dir = os.environ.get("ERP_KEY_USER_LOG_DIR") or os.path.dirname(state_path)
        return cls(database, state_path, os.path.join(log_dir, "platform-server.log"))

    def _command(self):
        env = os.environ
        return [
            env.get("ODOO_PY", "python3"),
            "-m",
            "odoo",
            f"--addons-path={env['ADDONS_PATH']}",
            f"--db_host={env.get('PGHOST', '')}",
            f"--db_port={env.get('PGPORT', '')}",
            f"--db_user={env.get('PGUSER', '')}",
            f"--database={self.database}",
            f"--db-filter=^{self.database}$",
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
            f"--logfile={self.log_path}",
        ]

    def _running(self):
        try:
            return self.process.status() != psutil.STATUS_ZOMBIE
        except (AttributeError, psutil.Error):
            return False

    def _answers(self):
        try:
            return requests.get(f"{self.url}/web/health", timeout=2).ok
        except requests.RequestException:
            return False  # not listening yet

    def start(self):
        if self._running():
            return
        # detached (started by a shell that exits at once): not a child of the
        # test process, which Odoo's test classes terminate when they end
        started = subprocess.run(  # noqa: S603 (our own command line)
            [
                "sh",
                "-c",
                '"$@" >/dev/null 2>&1 </dev/null & echo $!',
                "sh",
                *self._command(),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        self.process = psutil.Process(int(started.stdout))
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self._running():
                raise PlatformServerError(
                    f"the platform's Odoo exited at start-up: see {self.log_path}"
                )
            if self._answers():
                return
            time.sleep(0.3)
        self.stop()
        raise PlatformServerError(
            f"the platform's Odoo did not answer within {START_TIMEOUT} s: "
            f"see {self.log_path}"
        )

    def stop(self):
        if not self._running():
            self.process = None
            return
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except psutil.TimeoutExpired:
            self.process.kill()
        self.process = None

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self._running():
            self.process.send_signal(signal.SIGCONT)

    def report(self, line):
        """Keep ``line`` for the session's "connector scenarios" summary."""
        SCENARIO_REPORT.append(line)

    def call(self, key, model, method, ids=None, **kwargs):
        """JSON-2 call with the API key ``key``; returns (status, decoded body)."""
        payload = dict(kwargs, **({"ids": ids} if ids else {}))
        response = requests.post(
            f"{self.url}/json/2/{model}/{method}",
            json=payload,
            headers={
                "Authorization": f"bearer {key}",
                "X-Odoo-Database": self.database,
            },
            timeout=30,
        )
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.text
