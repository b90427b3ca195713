import { registry } from "@web/core/registry";
import { formView } from "@web/views/form/form_view";
import { ErpProcessGuideFormController } from "./erp_process_guide_form_controller";

export const erpProcessGuideFormView = {
    ...formView,
    Controller: ErpProcessGuideFormController,
};

registry.category("views").add("erp_process_guide_form", erpProcessGuideFormView);
