"""Where Odoo and PostgreSQL are, and how to run them: the repository's own
tools (``tools/odoo_python.sh``, ``tools/pg.sh``, ``tools/addons_path.sh``) are
reused so that ``make bench`` finds the same Odoo as ``make test``."""

import os
import socket
import subprocess
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _tool(*args, env=None):
    return subprocess.run(
        ["bash", os.path.join(REPO, "tools", args[0]), *args[1:]],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ).stdout.strip()


class OdooEnv:
    """The interpreter that imports Odoo 19, the addons path and the database
    connection settings."""

    def __init__(self, extra_addons=()):
        env = dict(os.environ, ODOO_PYTHON_NO_TOOLS="1")
        self.python = _tool("odoo_python.sh", env=env)
        _tool("pg.sh")
        with open(os.path.join(REPO, ".pgdata", "env")) as handle:
            for line in handle:
                for part in line.replace("export", "").split():
                    key, _sep, value = part.partition("=")
                    os.environ[key] = value
        self.pg = {
            "host": os.environ["PGHOST"],
            "port": os.environ["PGPORT"],
            "user": os.environ["PGUSER"],
        }
        self.addons_path = ",".join(
            [_tool("addons_path.sh", self.python), *extra_addons]
        )

    @property
    def core_addons_dirs(self):
        return self.addons_path.split(",")[1:]

    def odoo_args(self, *args, command=None):
        cmd = [self.python, "-m", "odoo"]
        if command:
            cmd.append(command)
        return cmd + [
            "--addons-path=%s" % self.addons_path,
            "--db_host=%s" % self.pg["host"],
            "--db_port=%s" % self.pg["port"],
            "--db_user=%s" % self.pg["user"],
            *args,
        ]

    def run(self, *args, command=None, stdin=None, log=None, env=None):
        """Run an Odoo command to completion; its output goes to ``log``."""
        with open(log or os.devnull, "w") as out:
            proc = subprocess.run(
                self.odoo_args(*args, command=command),
                input=stdin,
                text=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, **(env or {})),
            )
        if proc.returncode:
            raise RuntimeError(
                "odoo %s failed (exit %s), see %s"
                % (command or "server", proc.returncode, log)
            )

    def connect(self, dbname):
        import psycopg2

        return psycopg2.connect(dbname=dbname, **self.pg)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OdooServer:
    """An Odoo HTTP server (threaded, or ``workers`` prefork workers; no cron)
    on a free port, logging every request's SQL query count (werkzeug access
    log) to a file."""

    def __init__(
        self, odoo, dbname, logfile, sql_debug=False, workers=0, extra_args=()
    ):
        self.odoo = odoo
        self.dbname = dbname
        self.logfile = logfile
        self.sql_debug = sql_debug
        self.workers = workers
        self.extra_args = list(extra_args)
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.proc = None

    def __enter__(self):
        import requests

        open(self.logfile, "w").close()
        args = [
            "-d",
            self.dbname,
            "--db-filter=^%s$" % self.dbname,
            "--http-interface=127.0.0.1",
            "--http-port=%d" % self.port,
            "--workers=%d" % self.workers,
            "--max-cron-threads=0",
            "--log-level=warn",
            # the access log line ends with "<query count> <sql time> <other time>"
            "--log-handler=werkzeug:INFO",
            "--logfile=%s" % self.logfile,
        ]
        if self.sql_debug:
            args.append("--log-handler=odoo.sql_db:DEBUG")
        args += self.extra_args
        self.proc = subprocess.Popen(
            self.odoo.odoo_args(*args),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the Odoo server stopped, see %s" % self.logfile)
            try:
                if requests.get(self.url + "/web/health", timeout=2).ok:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.__exit__()
        raise RuntimeError("the Odoo server did not answer, see %s" % self.logfile)

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
