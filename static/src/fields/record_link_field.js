// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { UrlField, urlField } from "@web/views/fields/url/url_field";

/**
 * The record an incident came from, shown by its name (``text_field``) as a
 * link that opens it in the current action, keeping the breadcrumbs; the
 * backend URL stays the link's target for a new tab.
 */
export class RecordLinkField extends UrlField {
    static template = "erp_key_user.RecordLinkField";
    static props = {
        ...UrlField.props,
        textField: { type: String, optional: true },
    };

    setup() {
        super.setup();
        this.action = useService("action");
    }

    get linkText() {
        const data = this.props.record.data;
        return (this.props.textField && data[this.props.textField]) || this.value;
    }

    async openRecord() {
        const resModel = this.props.record.data.res_model;
        // a many2one_reference value is { resId } (0 when unset: false)
        const resId = this.props.record.data.res_id?.resId;
        if (!resModel || !resId) {
            return this.action.doAction({ type: "ir.actions.act_url", url: this.value });
        }
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
            target: "current",
        });
    }
}

export const recordLinkField = {
    ...urlField,
    component: RecordLinkField,
    extractProps: (fieldInfo) => ({
        ...urlField.extractProps(fieldInfo),
        textField: fieldInfo.options.text_field,
    }),
};

registry.category("fields").add("erp_record_link", recordLinkField);
