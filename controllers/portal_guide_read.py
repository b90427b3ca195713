# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Training on the portal: a consultation user confirms "I have read this
version" of a published guide of their company or customer."""

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from .portal import ErpKeyUserPortal


class ErpKeyUserPortalGuideRead(ErpKeyUserPortal):
    @http.route(
        ["/my/guides/<int:guide_id>/read"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_my_erp_guide_read(self, guide_id, **kw):
        """Confirm reading the current version of the guide, as the user
        (``erp.process.guide.action_confirm_read``); a guide the user may not
        read answers 404, like its page."""
        guide = self._get_erp_record("erp.process.guide", guide_id)
        if guide is None or not guide.filtered_domain(self._get_erp_guide_domain()):
            return request.not_found()
        try:
            guide.action_confirm_read()
        except (AccessError, UserError):
            return request.not_found()
        return request.redirect(guide.access_url)
