# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Opening a self-help suggestion: counted, then redirected to the answer."""

import re
import uuid

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

ANSWER_MODELS = {"guide": "erp.process.guide", "incident": "erp.incident"}
TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_TEXT = 2000
MAX_SUGGESTIONS = 10


class ErpSelfHelpController(http.Controller):
    @http.route(
        "/erp_key_user/self_help/<string:token>/<string:kind>/<int:record_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def open_suggestion(self, token, kind, record_id, area=None, **kwargs):
        """Record that the user opened a suggestion of the report wizard
        ``token`` (see erp.self.help.event), then show the answer. An answer
        the user may not read answers 404, as any other."""
        answer = self._log_opened(token, kind, record_id, area)
        if request.env.user._is_internal():
            url = request.env["erp.incident"]._get_record_url(answer._name, answer.id)
        else:
            url = answer.access_url
        return request.redirect(url)

    @http.route(
        "/erp_key_user/self_help/opened",
        type="jsonrpc",
        auth="user",
        methods=["POST"],
    )
    def suggestion_opened(self, token, kind, record_id, area_id=None):
        """Record that the user opened a suggestion of the report wizard
        ``token`` in its dialog (the wizard's suggestion list)."""
        if not isinstance(record_id, int) or isinstance(record_id, bool):
            raise NotFound()
        self._log_opened(token, kind, record_id, area_id)
        return True

    def _log_opened(self, token, kind, record_id, area):
        """The answer, once its opening is recorded (erp.self.help.event);
        404 for a malformed token or kind and for an answer the user may not
        read, as any other."""
        if (
            not isinstance(kind, str)
            or kind not in ANSWER_MODELS
            or not isinstance(token, str)
            or not TOKEN_RE.match(token)
        ):
            raise NotFound()
        answer = request.env[ANSWER_MODELS[kind]].browse(record_id)
        try:
            answer.check_access("read")
        except (AccessError, MissingError) as exc:
            raise NotFound() from exc
        Area = request.env["erp.support.area"]
        area = Area.browse(int(area)).exists() if str(area or "").isdigit() else Area
        request.env["erp.self.help.event"]._log_opened(token, answer, area)
        return answer

    @http.route(
        "/erp_key_user/self_help/suggestions",
        type="jsonrpc",
        auth="user",
        readonly=True,
    )
    def suggestions(self, text="", res_model=None, area_id=None, token=None, limit=5):
        """The self-help suggestions for ``text``, as the current user may see
        them, for forms that refresh them while the user types (the portal's
        request forms): ``{"token", "html"}``, the HTML listing each answer
        with the matching words highlighted, its link counted under
        ``token`` (a new one when none is given)."""
        area = request.env["erp.support.area"]
        if str(area_id or "").isdigit():
            area = area.browse(int(area_id)).exists()
        if not (isinstance(token, str) and TOKEN_RE.match(token)):
            token = uuid.uuid4().hex
        SelfHelp = request.env["erp.self.help"]
        hits = SelfHelp._search_answers(
            str(text or "")[:MAX_TEXT],
            res_model=res_model if isinstance(res_model, str) else None,
            area=area,
            limit=max(1, min(int(limit or 5), MAX_SUGGESTIONS)),
        )
        return {
            "token": token,
            "html": SelfHelp._render_suggestions(hits, token, area) or "",
        }
