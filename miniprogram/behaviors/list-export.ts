/**
 * 导出Excel of a list (issue 12: `forms.export`, `bills.export` — the list's own filters and scope,
 * made on the server as .xlsx): the page supplies `exportCall()`; this keeps the state for
 * `components/export-bar` and opens or shares the file.
 */
import type { CertFileRef } from '../../typings/api';
import { openStoredDocument } from '../services/upload';
import { errorText } from '../utils/format';

/** The method a page using `listExport` must have: the export of what its list shows. */
export interface Exporter {
  exportCall(): Promise<CertFileRef & { rows: number }>;
}

export const listExport = Behavior({
  data: {
    exporting: false,
    exported: null as null | (CertFileRef & { rows: number }),
    exportError: '',
  },
  methods: {
    async onExport() {
      if (this.data.exporting) return;
      this.setData({ exporting: true, exportError: '', exported: null });
      try {
        const exported = await (this as unknown as Exporter).exportCall();
        this.setData({ exporting: false, exported });
      } catch (e) {
        this.setData({ exporting: false, exportError: errorText(e) });
      }
    },
    async onOpenExport() {
      const file = this.data.exported;
      if (file) await openStoredDocument(file.fileID, 'xlsx', '打开失败，可复制链接在电脑浏览器中下载');
    },
    onCopyExport() {
      const file = this.data.exported;
      if (file && file.url) wx.setClipboardData({ data: file.url, success: () => wx.showToast({ title: '链接已复制，2小时内有效', icon: 'none' }) });
    },
  },
});
