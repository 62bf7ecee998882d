/**
 * A form's attachments as thumbnails with their Chinese names; tap to enlarge an image or open a PDF.
 * URLs come from the transport (temporary URLs in the cloud), fetched when the files change.
 */
import type { FileKey, Files } from '../../../typings/api';
import { FILE_RULES, extOf, fileUrl } from '../../services/upload';

interface Item {
  key: string;
  label: string;
  fileID: string;
  kind: 'image' | 'pdf' | 'video';
  url: string;
}

const ORDER: FileKey[] = [
  'photo',
  'idFront',
  'idBack',
  'diploma',
  'diplomaCheck',
  'video',
  'titleCert',
  'qualificationCert',
  'insuranceProof',
  'commitment',
  'applicationForm',
  'resignationProof',
  'receipt',
];

function kindOf(fileID: string): Item['kind'] {
  const ext = extOf(fileID);
  return ext === 'pdf' ? 'pdf' : ext === 'mp4' || ext === 'mov' ? 'video' : 'image';
}

Component({
  properties: {
    files: { type: Object, value: {} },
    /** Titles where the form says otherwise than the generic slot names (a business form's table). */
    labels: { type: Object, value: {} },
  },
  data: { items: [] as Item[] },
  observers: {
    'files, labels'(files: Files, labels: Record<string, string>) {
      const items: Item[] = ORDER.filter((k) => files && files[k]).map((k) => ({
        key: k,
        label: (labels && labels[k]) || FILE_RULES[k].label,
        fileID: files[k] as string,
        kind: kindOf(files[k] as string),
        url: '',
      }));
      this.setData({ items });
      items.forEach((item, i) => {
        fileUrl(item.fileID)
          .then((url) => {
            if (this.data.items[i] && this.data.items[i].fileID === item.fileID) this.setData({ [`items[${i}].url`]: url });
          })
          .catch(() => undefined);
      });
    },
  },
  methods: {
    onOpen(e: WechatMiniprogram.TouchEvent) {
      const item = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!item || !item.url) return;
      if (item.kind === 'image') {
        const urls = this.data.items.filter((i) => i.kind === 'image' && i.url).map((i) => i.url);
        wx.previewImage({ urls, current: item.url });
        return;
      }
      wx.showLoading({ title: '正在打开…' });
      wx.downloadFile({
        url: item.url,
        success: (r) => {
          wx.hideLoading();
          if (item.kind === 'pdf') wx.openDocument({ filePath: r.tempFilePath, fileType: 'pdf', showMenu: true });
          else wx.previewMedia({ sources: [{ url: r.tempFilePath, type: 'video' }] });
        },
        fail: () => {
          wx.hideLoading();
          wx.showToast({ title: '文件打开失败，请稍后再试', icon: 'none' });
        },
      });
    },
  },
});
