// Copyright 2026 erp_key_user contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";
import { rpc } from "@web/core/network/rpc";

const SUGGESTIONS_ROUTE = "/erp_key_user/self_help/suggestions";
const SUGGESTIONS_DELAY = 400;
const SUGGESTIONS_MIN_LENGTH = 8;

/**
 * The support-request form of the portal (/my/incidents/new). The form works
 * without it; this only helps: the areas of the chosen instance, the name of
 * its staging instance, the guide or "no guide" (one or the other), the
 * reason asked only when the problem was not reproduced, and the self-help
 * suggestions (published guides, resolved requests) while the title is typed.
 */
export class SupportRequestForm extends Interaction {
    static selector = ".o_erp_support_request_form";
    dynamicContent = {
        "select[name=instance_id]": { "t-on-change": this.onInstanceChange },
        "select[name=guide_id]": { "t-on-change": this.onGuideChange },
        "input[name=no_guide]": { "t-on-change": this.onNoGuideChange },
        "input[name=reproduced_in_staging]": { "t-on-change": this.showReason },
        "input[name=title]": {
            "t-on-input": this.debounced(this.refreshSuggestions, SUGGESTIONS_DELAY),
        },
    };

    setup() {
        this.token = null;
        this.lastQuery = "";
        this.suggestionsAvailable = true;
        // the areas of every instance, one group each: only the chosen
        // instance's group stays in the list
        this.areaGroups = [...this.areaSelect.querySelectorAll("optgroup")];
        this.onInstanceChange();
        this.showReason();
    }

    destroy() {
        this.areaSelect.append(...this.areaGroups);
    }

    get instanceSelect() {
        return this.el.querySelector("select[name=instance_id]");
    }

    get areaSelect() {
        return this.el.querySelector("select[name=area_id]");
    }

    onInstanceChange() {
        const option = this.instanceSelect.selectedOptions[0];
        const instanceId = this.instanceSelect.value;
        const areaSelect = this.areaSelect;
        const previous = areaSelect.value;
        for (const group of this.areaGroups) {
            group.remove();
        }
        areaSelect.append(
            ...this.areaGroups.filter((group) => group.dataset.instanceId === instanceId)
        );
        const kept = [...areaSelect.options].some((opt) => opt.value === previous);
        areaSelect.value = kept ? previous : "";
        const staging = this.el.querySelector(".o_erp_request_staging_name");
        staging.textContent = option?.dataset.staging || "";
    }

    onGuideChange(ev) {
        if (ev.currentTarget.value) {
            this.el.querySelector("input[name=no_guide]").checked = false;
        }
    }

    onNoGuideChange(ev) {
        if (ev.currentTarget.checked) {
            this.el.querySelector("select[name=guide_id]").value = "";
        }
    }

    showReason() {
        const reproduced = this.el.querySelector("input[name=reproduced_in_staging]").checked;
        this.el.querySelector(".o_erp_request_not_reproduced").classList.toggle("d-none", reproduced);
    }

    async refreshSuggestions() {
        const text = this.el.querySelector("input[name=title]").value.trim();
        const block = this.el.querySelector(".o_erp_request_suggestions");
        if (!this.suggestionsAvailable || text === this.lastQuery) {
            return;
        }
        this.lastQuery = text;
        if (text.length < SUGGESTIONS_MIN_LENGTH) {
            block.replaceChildren();
            return;
        }
        const areaId = parseInt(this.el.querySelector("select[name=area_id]").value) || false;
        let result;
        try {
            result = await this.waitFor(
                rpc(SUGGESTIONS_ROUTE, {
                    text,
                    res_model: "erp.incident",
                    area_id: areaId,
                    token: this.token,
                    limit: 5,
                })
            );
        } catch {
            // no self-help search on this server: the form works without it
            this.suggestionsAvailable = false;
            return;
        }
        if (text !== this.lastQuery) {
            return; // an answer to an older title
        }
        this.token = result.token || this.token;
        // rendered by the server from the records the user may read
        block.innerHTML = result.html || "";
    }
}

registry
    .category("public.interactions")
    .add("erp_key_user.support_request_form", SupportRequestForm);
