// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { useEffect } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useDebounced } from "@web/core/utils/timing";
import { CharField, charField } from "@web/views/fields/char/char_field";

export const LIVE_DELAY = 400;

/**
 * A char field whose value reaches the record (and its onchange) when the
 * user pauses typing, not only when leaving the field: the report wizard's
 * suggestions follow the title as it is typed.
 */
export class LiveCharField extends CharField {
    setup() {
        super.setup();
        // a "change" is what makes Odoo's input hook commit the value
        const commit = useDebounced(
            () => this.input.el?.dispatchEvent(new Event("change")),
            LIVE_DELAY
        );
        useEffect(
            (inputEl) => {
                if (inputEl) {
                    inputEl.addEventListener("input", commit);
                    return () => inputEl.removeEventListener("input", commit);
                }
            },
            () => [this.input.el]
        );
    }
}

registry.category("fields").add("erp_live_char", { ...charField, component: LiveCharField });
