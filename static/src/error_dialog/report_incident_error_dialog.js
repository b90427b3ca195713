// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { onWillStart } from "@odoo/owl";
import { ErrorDialog } from "@web/core/errors/error_dialogs";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

/**
 * "Report incident" / "Ask key user" in Odoo's error dialog: the report
 * wizard opens with the error's title and text as the error message, the
 * exact text the supplier needs.
 */
patch(ErrorDialog.prototype, {
    setup() {
        super.setup(...arguments);
        this.erpKeyUserAction = useService("action");
        this.erpKeyUserRole = false;
        onWillStart(async () => {
            try {
                if (await user.hasGroup("erp_key_user.group_key_user")) {
                    this.erpKeyUserRole = "key_user";
                } else if (await user.hasGroup("erp_key_user.group_consultation_user")) {
                    this.erpKeyUserRole = "consultation";
                }
            } catch {
                // the server may be what failed: the error must still show
                this.erpKeyUserRole = false;
            }
        });
    },

    get erpKeyUserErrorText() {
        const title = this.title || this.constructor.title;
        return [title, this.props.name, this.props.message]
            .filter(Boolean)
            .map(String)
            .join("\n");
    },

    async onClickReportIncident() {
        const errorMessage = this.erpKeyUserErrorText;
        this.props.close();
        await this.erpKeyUserAction.doAction("erp_key_user.action_erp_incident_report_wizard", {
            additionalContext: { default_error_message: errorMessage },
        });
    },
});
