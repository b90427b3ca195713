// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { onWillStart } from "@odoo/owl";
import { ErrorDialog } from "@web/core/errors/error_dialogs";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { patch } from "@web/core/utils/patch";

// the incident's error_message holds at most 50,000 characters; the end of a
// traceback is where the exception is, so a longer one keeps its end
export const ERROR_TEXT_MAX_LENGTH = 40000;

export const REPORT_ACTIONS = {
    key_user: "erp_key_user.action_erp_incident_report_wizard",
    consultation: "erp_key_user.action_erp_incident_ask_key_user",
};

/**
 * The exact text the supplier needs: the dialog's title, the exception's
 * class and message (for a server error, the ones in ``data``, not the
 * generic "Odoo Server Error") and the traceback.
 */
export function getErrorText(dialog) {
    const { props } = dialog;
    const data = props.data || {};
    const title = dialog.title || dialog.constructor.title;
    const name = data.name || props.exceptionName || props.name;
    const message = data.message || props.message;
    const traceback = dialog.traceback || props.traceback || data.debug;
    const head = [title, name, message]
        .filter(Boolean)
        .map(String)
        .filter((line, index, lines) => lines.indexOf(line) === index);
    let text = head.join("\n");
    if (traceback) {
        text += `\n\n${traceback}`;
    }
    if (text.length > ERROR_TEXT_MAX_LENGTH) {
        text = `…${text.slice(-(ERROR_TEXT_MAX_LENGTH - 1))}`;
    }
    return text;
}

/**
 * The record (or, for a list or a new record, the model) the user was on
 * when the error happened: the current view of the main action.
 */
export function getErrorSource(actionService) {
    const controller = actionService.currentController;
    const resModel = controller?.props?.resModel;
    if (!resModel) {
        return {};
    }
    const resId =
        controller.view?.type === "form"
            ? controller.currentState?.resId || controller.props.resId || false
            : false;
    return {
        active_model: resModel,
        active_id: resId,
        active_ids: resId ? [resId] : [],
    };
}

/**
 * "Report incident" / "Ask key user" in Odoo's error dialog: the report
 * wizard opens on the record the error happened on (hence its area), with the
 * error's text and traceback as the error message.
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
        return getErrorText(this);
    },

    async onClickReportIncident() {
        const context = {
            ...getErrorSource(this.erpKeyUserAction),
            default_error_message: this.erpKeyUserErrorText,
        };
        this.props.close();
        await this.erpKeyUserAction.doAction(REPORT_ACTIONS[this.erpKeyUserRole], {
            additionalContext: context,
        });
    },
});
