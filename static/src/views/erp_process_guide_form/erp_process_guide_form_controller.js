import { markup } from "@odoo/owl";
import { HistoryDialog } from "@html_editor/components/history_dialog/history_dialog";
import { getHtmlFieldMetadata, setHtmlFieldMetadata } from "@html_editor/fields/html_field";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { FormController } from "@web/views/form/form_controller";
import { ErpProcessGuideReadonlyHistoryDialog } from "./erp_process_guide_history_dialog";

/**
 * Process guide form: the cog menu of the key users shows "Content History",
 * every saved edit of `content` kept by the HTML field history mixin
 * (html_editor), with restore while the guide can be edited, as the project
 * task form does. The server refuses that history to readers and sanitizes
 * what it returns. The published versions are records of their own
 * (erp.process.guide.version), read and compared from the "Versions" button.
 */
export class ErpProcessGuideFormController extends FormController {
    setup() {
        super.setup();
        this.notification = useService("notification");
    }

    /**
     * @override
     */
    getStaticActionMenuItems() {
        const record = this.model.root;
        return {
            ...super.getStaticActionMenuItems(),
            erpGuideContentHistory: {
                // the metadata field is in the view for key users only
                isAvailable: () =>
                    !record.isNew && "html_field_history_metadata" in record.activeFields,
                sequence: 16,
                icon: "fa fa-pencil-square-o",
                description: _t("Content History"),
                callback: () => this.openContentHistory(),
            },
        };
    }

    openContentHistory() {
        const record = this.model.root;
        const versionedFieldName = "content";
        const historyMetadata = record.data.html_field_history_metadata?.[versionedFieldName];
        if (!historyMetadata?.length) {
            this.notification.add(_t("The content of this guide has not been changed yet."));
            return;
        }
        const props = {
            title: _t("Guide Content History"),
            noContentHelper: markup`<span class="text-muted fst-italic">${_t(
                "The content was empty at the time."
            )}</span>`,
            recordId: record.resId,
            recordModel: this.props.resModel,
            versionedFieldName,
            historyMetadata,
        };
        if (record.data.state === "archived" || !this.canEdit) {
            // an archived guide is not edited: bring it back to draft first
            this.dialogService.add(ErpProcessGuideReadonlyHistoryDialog, props);
            return;
        }
        this.dialogService.add(HistoryDialog, {
            ...props,
            restoreRequested: (html, close) => {
                this.dialogService.add(ConfirmationDialog, {
                    title: _t("Restore this version of the content?"),
                    body: _t(
                        "The current content is replaced by the selected version. Unsaved changes are lost."
                    ),
                    confirm: () => {
                        const metadata = getHtmlFieldMetadata(record.data[versionedFieldName]);
                        record.update({
                            [versionedFieldName]: setHtmlFieldMetadata(html, metadata),
                        });
                        close();
                    },
                    confirmLabel: _t("Restore"),
                });
            },
        });
    }
}
