# Copyright 2026 erp_key_user contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

from odoo import api, models


class ErpPortalRoleAccessMixin(models.AbstractModel):
    """Portal documents that are opened by role, never by a shared link.

    ``portal.mixin`` lets an access token (``access_token``) or a signed
    ``hash``/``pid`` pair stand in for the reader's rights: the mail routes
    (``/mail/chatter_fetch``, ``/mail/message/post``, ``/portal/chatter_init``,
    attachments, reactions...) all ask ``_get_thread_with_access``, which
    portal's override answers with a sudo record when the token matches. On
    this addon's portal the pages answer 404 to whoever the record rules
    refuse, so the chatter must not answer otherwise: here a token grants
    nothing and none is issued. Readers go through their own rights only.

    List it first in ``_inherit``: it extends ``mail.thread`` and
    ``portal.mixin``, which must come after it."""

    _name = "erp.portal.role.access.mixin"
    _inherit = ["mail.thread", "portal.mixin"]
    _description = "Portal access by role only (no access tokens)"

    @api.model
    def _get_thread_with_access(self, thread_id, *, mode="read", **kwargs):
        # hash, pid and token are dropped: only the user's rights decide
        return super()._get_thread_with_access(thread_id, mode=mode)

    def _portal_ensure_token(self):
        # no token is issued (share links, notification buttons, portal URLs)
        return ""

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        return super()._get_share_url(
            redirect=redirect, signup_partner=signup_partner, share_token=False
        )
