// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { FormViewDialog } from "@web/views/view_dialogs/form_view_dialog";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

export const EXCERPT_LENGTH = 220;

/** Plain text of a text or HTML value, cut at a word after ``length``. */
export function excerpt(value, length = EXCERPT_LENGTH) {
    // parsed, never inserted: the text of each node, paragraphs apart
    const body = new DOMParser().parseFromString(String(value || ""), "text/html").body;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const parts = [];
    while (walker.nextNode()) {
        parts.push(walker.currentNode.nodeValue);
    }
    const text = parts.join(" ").replace(/\s+/g, " ").replace(/ ([.,;:!?])/g, "$1").trim();
    if (text.length <= length) {
        return text;
    }
    const cut = text.slice(0, length);
    const space = cut.lastIndexOf(" ");
    return `${(space > length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The report wizard's suggestions (guides, past answers): each one shows its
 * title and the first lines of its text, and opens in a dialog above the
 * wizard, which stays as it was.
 *
 * Options: ``title_field`` (the record's title), ``excerpt_fields`` (the
 * fields whose first non-empty value is shown), ``reference_field``.
 */
export class SuggestionListField extends Component {
    static template = "erp_key_user.SuggestionListField";
    static props = {
        ...standardFieldProps,
        titleField: { type: String },
        excerptFields: { type: Array, element: String },
        referenceField: { type: String, optional: true },
    };

    setup() {
        this.dialog = useService("dialog");
    }

    get suggestions() {
        const list = this.props.record.data[this.props.name];
        return list.records.map((record) => ({
            id: record.resId,
            title: record.data[this.props.titleField] || "",
            reference: this.props.referenceField
                ? record.data[this.props.referenceField] || ""
                : "",
            excerpt: excerpt(
                this.props.excerptFields
                    .map((fieldName) => record.data[fieldName])
                    .find((value) => excerpt(value))
            ),
        }));
    }

    open(suggestion) {
        const { relation } = this.props.record.fields[this.props.name];
        this.dialog.add(FormViewDialog, {
            resModel: relation,
            resId: suggestion.id,
            preventCreate: true,
            preventEdit: true,
            title: suggestion.title,
        });
    }

    href(suggestion) {
        const { relation } = this.props.record.fields[this.props.name];
        return `/odoo/${relation}/${suggestion.id}`;
    }
}

export const suggestionListField = {
    component: SuggestionListField,
    displayName: _t("Suggestions"),
    supportedTypes: ["many2many"],
    // excerpts are read as HTML: a plain text value reads the same
    relatedFields: ({ options }) => [
        ...[options.title_field, options.reference_field]
            .filter(Boolean)
            .map((name) => ({ name, type: "char" })),
        ...(options.excerpt_fields || []).map((name) => ({ name, type: "html" })),
    ],
    extractProps: ({ options }) => ({
        titleField: options.title_field,
        excerptFields: options.excerpt_fields || [],
        referenceField: options.reference_field,
    }),
};

registry.category("fields").add("erp_suggestion_list", suggestionListField);
