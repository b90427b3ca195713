// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component, onWillStart } from "@odoo/owl";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useService } from "@web/core/utils/hooks";
import { STATIC_ACTIONS_GROUP_NUMBER } from "@web/search/action_menus/action_menus";
import { REPORT_ACTIONS } from "@erp_key_user/error_dialog/report_incident_error_dialog";

/**
 * "Report incident" (key users) / "Ask key user" (other consultation users)
 * in the cog menu of every form view: one registry entry instead of one
 * binding per model. It opens the report wizard on the current record.
 */
export class ReportIncidentCogMenu extends Component {
    static template = "erp_key_user.ReportIncidentCogMenu";
    static props = {};
    static components = { DropdownItem };

    setup() {
        this.action = useService("action");
        onWillStart(async () => {
            this.isKeyUser = await user.hasGroup("erp_key_user.group_key_user");
        });
    }

    async openReportWizard() {
        const record = this.env.model.root;
        // an unsaved record has no id yet: the wizard then refers to its model
        // titled "Ask Key User" for consultation users
        const actionXmlId = REPORT_ACTIONS[this.isKeyUser ? "key_user" : "consultation"];
        await this.action.doAction(actionXmlId, {
            additionalContext: {
                active_model: record.resModel,
                active_id: record.resId || false,
                active_ids: record.resId ? [record.resId] : [],
            },
        });
    }
}

export const reportIncidentCogMenuItem = {
    Component: ReportIncidentCogMenu,
    groupNumber: STATIC_ACTIONS_GROUP_NUMBER,
    isDisplayed: async (env) =>
        env.config?.viewType === "form" &&
        Boolean(env.model?.root?.resModel) &&
        env.model.root.resModel !== "erp.incident.report.wizard" &&
        (await user.hasGroup("erp_key_user.group_consultation_user")),
};

registry.category("cogMenu").add("erp_key_user.report_incident", reportIncidentCogMenuItem, {
    sequence: 90,
});
