// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { rpc } from "@web/core/network/rpc";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The report wizard's suggestions (guides, past answers), as the self-help
 * search gives them (erp.self.help._get_suggestions): each one shows its
 * title and the line that matched, the question's words marked (the pieces
 * are text, escaped by the template), and opens in a dialog above the
 * wizard, which stays as it was. Opening one is recorded under the wizard's
 * token: a doubt whose wizard is then discarded was solved by self-help.
 */
export class SuggestionListField extends Component {
    static template = "erp_key_user.SuggestionListField";
    static props = { ...standardFieldProps };

    setup() {
        this.dialog = useService("dialog");
    }

    get suggestions() {
        return this.props.record.data[this.props.name] || [];
    }

    async open(suggestion) {
        const { data } = this.props.record;
        await rpc("/erp_key_user/self_help/opened", {
            token: data.self_help_token,
            kind: suggestion.kind,
            record_id: suggestion.id,
            area_id: data.area_id ? data.area_id.id : false,
        });
        this.dialog.add(FormViewDialog, {
            resModel: suggestion.model,
            resId: suggestion.id,
            preventCreate: true,
            preventEdit: true,
            title: suggestion.title.map(([piece]) => piece).join(""),
        });
    }

    href(suggestion) {
        return `/odoo/${suggestion.model}/${suggestion.id}`;
    }
}

export const suggestionListField = {
    component: SuggestionListField,
    displayName: _t("Suggestions"),
    supportedTypes: ["json"],
};

registry.category("fields").add("erp_suggestion_list", suggestionListField);
