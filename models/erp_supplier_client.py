# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connector's transport: Odoo 19's external JSON-2 API of the supplier's
platform (the ``rpc`` addon, ``POST /json/2/<model>/<method>``), called with
the API key of the customer's portal key user there as bearer token.

Plain Python, no ORM: the models build a client from an instance's connection
(``erp.instance._get_supplier_client``) and turn a ``SupplierError`` into a
sentence for the user. The key is only ever put in the Authorization header:
it is in no message, log line or exception this module makes."""

import json
from urllib.parse import urlsplit

import requests

# plain HTTP is refused to any other host: the API key would cross in clear
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# seconds to connect, and then between two bytes of the answer: an escalation
# waits about this long for a platform that does not answer
DEFAULT_TIMEOUT = 30.0


class SupplierError(Exception):
    """A call to the platform that did not succeed.

    ``kind`` says what went wrong, for the message and for the retry:

    * ``config``: the connection is incomplete or its URL is not allowed;
    * ``unreachable`` / ``timeout`` / ``server``: the platform is down, slow
      or failing (transient: retried);
    * ``database``: the platform serves no such database;
    * ``key``: the API key was refused (wrong, revoked or expired);
    * ``not_platform``: the database does not run erp_key_user;
    * ``forbidden``: the key may not read or do that (record rules);
    * ``refused``: the platform refused the values (its message says why).

    ``remote_message`` is the platform's own message, when it sent one."""

    TRANSIENT = frozenset({"unreachable", "timeout", "server"})

    def __init__(self, kind, remote_message=""):
        super().__init__(kind, remote_message)
        self.kind = kind
        self.remote_message = remote_message or ""

    @property
    def transient(self):
        return self.kind in self.TRANSIENT

    def __str__(self):
        return (
            f"{self.kind}: {self.remote_message}" if self.remote_message else self.kind
        )


def check_url(url):
    """The platform's base URL without trailing slash; raises ``SupplierError``
    (``config``) for a URL that is not http(s), or plain http to a host other
    than this machine."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SupplierError("config", "url")
    if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
        raise SupplierError("config", "https")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise SupplierError("config", "url")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


class SupplierClient:
    """JSON-2 calls to one database of the supplier's platform."""

    def __init__(self, url, database, api_key, timeout=DEFAULT_TIMEOUT):
        if not (database and api_key):
            raise SupplierError("config", "incomplete")
        self.base_url = check_url(url)
        self.database = database
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"bearer {api_key}",
                "X-Odoo-Database": database,
                "Content-Type": "application/json; charset=utf-8",
            }
        )
        # never a proxy or credentials from the server's environment or .netrc
        self.session.trust_env = False

    def call(self, model, method, ids=None, **kwargs):
        """Call ``model.method`` on the platform with keyword arguments
        ``kwargs`` (and ``ids`` for a method on records); return its result,
        decoded from JSON, or raise ``SupplierError``."""
        payload = dict(kwargs)
        if ids:
            payload["ids"] = list(ids)
        try:
            response = self.session.post(
                f"{self.base_url}/json/2/{model}/{method}",
                data=json.dumps(payload),
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise SupplierError("timeout") from None
        except requests.RequestException:
            # the exception's text names the URL and the OS error, nothing
            # more: it says why, but the user-facing sentence is enough
            raise SupplierError("unreachable") from None
        if response.status_code == 200:
            try:
                return response.json()
            except ValueError:
                raise SupplierError("server", "not JSON") from None
        raise self._get_error(response)

    @staticmethod
    def _get_error(response):
        """The ``SupplierError`` for a JSON-2 error response. The platform's
        errors are JSON (``name``, ``message``, and a ``debug`` traceback that
        is never kept); an unknown database is Odoo's HTML 404 page, served
        before any database is selected."""
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if status == 404:
                return SupplierError("database")
            return SupplierError("server", f"HTTP {status}")
        message = str(body.get("message") or "")[:2000]
        if status == 401:
            return SupplierError("key", message)
        if status == 404 and body.get("name") == "werkzeug.exceptions.NotFound":
            # no such model or public method: not (this version of) the addon
            return SupplierError("not_platform", message)
        if status == 403:
            return SupplierError("forbidden", message)
        if status in (400, 404, 409, 422):
            return SupplierError("refused", message)
        return SupplierError("server", message or f"HTTP {status}")
