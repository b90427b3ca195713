import { markup } from "@odoo/owl";
import { HistoryDialog } from "@html_editor/components/history_dialog/history_dialog";
import { getHtmlFieldMetadata, setHtmlFieldMetadata } from "@html_editor/fields/html_field";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { FormController } from "@web/views/form/form_controller";
import { ErpProcessGuideReadonlyHistoryDialog } from "./erp_process_guide_history_dialog";

/**
 * Process guide form: the cog menu shows the history kept by the HTML field
 * history mixin (html_editor), as the project task form does.
 *
 * - "Version History": every published version of the guide (steps and
 *   content, `published_content`), to read and compare; for every reader.
 * - "Content History": every saved edit of `content`, with restore while the
 *   guide is a draft; for the key users who see the content tab.
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
            erpGuideVersionHistory: {
                isAvailable: () => !record.isNew,
                sequence: 15,
                icon: "fa fa-history",
                description: _t("Version History"),
                callback: () => this.openVersionHistory(),
            },
            erpGuideContentHistory: {
                isAvailable: () => !record.isNew && "content" in record.activeFields,
                sequence: 16,
                icon: "fa fa-pencil-square-o",
                description: _t("Content History"),
                callback: () => this.openContentHistory(),
            },
        };
    }

    _getHistoryMetadata(fieldName) {
        return this.model.root.data.html_field_history_metadata?.[fieldName];
    }

    openVersionHistory() {
        const record = this.model.root;
        const historyMetadata = this._getHistoryMetadata("published_content");
        if (!historyMetadata?.length) {
            this.notification.add(
                record.data.version
                    ? _t("Only one version of this guide has been published so far.")
                    : _t("This guide has not been published yet.")
            );
            return;
        }
        this.dialogService.add(ErpProcessGuideReadonlyHistoryDialog, {
            title: _t("Published Versions of the Guide"),
            noContentHelper: markup`<span class="text-muted fst-italic">${_t(
                "No version of the guide was published at the time."
            )}</span>`,
            recordId: record.resId,
            recordModel: this.props.resModel,
            versionedFieldName: "published_content",
            historyMetadata,
        });
    }

    openContentHistory() {
        const record = this.model.root;
        const versionedFieldName = "content";
        const historyMetadata = this._getHistoryMetadata(versionedFieldName);
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
        if (record.data.state !== "draft" || !this.canEdit) {
            // the content of a published or archived guide is not edited in place
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
