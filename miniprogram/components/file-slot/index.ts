/**
 * One attachment slot: choose (camera/album, or a PDF from a chat where allowed), check the size
 * and type before uploading (SPEC §4), upload with a busy state, preview, retake.
 * Emits `change` with `{ key, fileID }` once the file is stored.
 */
import type { FileKey } from '../../../typings/api';
import {
  FILE_RULES,
  checkPicked,
  chooseMedia,
  choosePdf,
  compressPhoto,
  extOf,
  fileUrl,
  isCancel,
  ruleOf,
  uploadPicked,
} from '../../services/upload';
import type { Accept, FileRule, PickedFile, SlotOverride } from '../../services/upload';
import { errorText } from '../../utils/format';

function kindOfPath(path: string): 'image' | 'pdf' | 'video' {
  const ext = extOf(path);
  if (ext === 'pdf') return 'pdf';
  if (ext === 'mp4' || ext === 'mov' || ext === 'm4v') return 'video';
  return 'image';
}

Component({
  properties: {
    fileKey: { type: String, value: 'photo' },
    /** The stored fileID, when there is one already (editing a returned form). */
    value: { type: String, value: '' },
    required: { type: Boolean, value: false },
    disabled: { type: Boolean, value: false },
    /** An error from the page (missing file, server field error). */
    error: { type: String, value: '' },
    /** The slot's title and hint when the form needs other words than the join form's (business forms). */
    labelText: { type: String, value: '' },
    hintText: { type: String, value: '' },
    /** What the slot accepts and its size limit when the form says otherwise than the key's rule ('pdf', 'image-pdf'; bytes). */
    accept: { type: String, value: '' },
    maxBytes: { type: Number, value: 0 },
  },
  data: {
    label: '',
    hint: '',
    ctaText: '拍照/相册',
    fileId: '',
    src: '',
    kind: 'image' as 'image' | 'pdf' | 'video',
    uploading: false,
    /** The last `value` the page gave (to tell a cleared slot from one never filled). */
    given: '',
    localError: '',
    shownError: '',
  },
  lifetimes: {
    attached() {
      this.describe(this.data.fileKey);
    },
  },
  observers: {
    'fileKey, labelText, hintText, accept, maxBytes'(key: string) {
      this.describe(key);
    },
    value(value: string) {
      const was = this.data.given;
      this.data.given = value;
      if (!value) {
        // The page cleared the file it had given (e.g. the next bill to pay): start empty again.
        if (was && was === this.data.fileId && !this.data.uploading) this.setData({ fileId: '', src: '', localError: '' });
        return;
      }
      if (value === this.data.fileId) return;
      const kind = kindOfPath(value);
      this.setData({ fileId: value, kind, src: '' });
      if (kind === 'image')
        fileUrl(value)
          .then((src) => {
            if (this.data.fileId === value) this.setData({ src });
          })
          .catch(() => undefined);
    },
    'error, localError, uploading'(error: string, localError: string, uploading: boolean) {
      // While a file is on its way, the page's "missing" message no longer applies.
      this.setData({ shownError: uploading ? '' : localError || error });
    },
  },
  methods: {
    /** The slot's rule: its key's, with the page's accept / size when given. */
    rule(key: string): FileRule | undefined {
      if (!FILE_RULES[key as FileKey]) return undefined;
      return ruleOf(key as FileKey, this.override());
    },
    override(): SlotOverride {
      return { accept: (this.data.accept || undefined) as Accept | undefined, max: this.data.maxBytes || undefined };
    },

    describe(key: string) {
      const rule = this.rule(key);
      if (!rule) return;
      const ctaText =
        rule.accept === 'video' ? '拍摄/选择视频' : rule.accept === 'pdf' ? '选择PDF' : rule.accept === 'image-pdf' ? '拍照/相册/文件' : '拍照/相册';
      const label = this.data.labelText || rule.label;
      const hint = this.data.hintText || rule.hint;
      if (label !== this.data.label || hint !== this.data.hint || ctaText !== this.data.ctaText) this.setData({ label, hint, ctaText });
    },

    async pick(): Promise<PickedFile | null> {
      const key = this.data.fileKey as FileKey;
      const rule = this.rule(key) as FileRule;
      if (rule.accept === 'video') return chooseMedia('video');
      if (rule.accept === 'pdf') return choosePdf();
      if (rule.accept === 'image-pdf') {
        const tapIndex = await new Promise<number>((resolve, reject) =>
          wx.showActionSheet({
            itemList: ['拍照或从相册选择', '从聊天记录选择文件（PDF）'],
            success: (r) => resolve(r.tapIndex),
            fail: reject,
          }),
        );
        return tapIndex === 1 ? choosePdf() : chooseMedia('image');
      }
      return chooseMedia('image', key === 'photo' ? 'front' : 'back');
    },

    async onChoose() {
      if (this.data.disabled || this.data.uploading) return;
      const key = this.data.fileKey as FileKey;
      let file: PickedFile | null;
      try {
        file = await this.pick();
      } catch (e) {
        if (!isCancel(e)) this.setData({ localError: '无法打开相机或相册，请检查微信的权限设置' });
        return;
      }
      if (!file) return;
      let problem = checkPicked(key, file, this.override());
      if (problem && key === 'photo' && file.kind === 'image' && file.size > FILE_RULES.photo.max) {
        // A phone photo is often larger than 200 KB: let WeChat shrink it before refusing.
        const smaller = await compressPhoto(file);
        if (smaller && !checkPicked(key, smaller, this.override())) {
          file = smaller;
          problem = null;
        }
      }
      if (problem) {
        this.setData({ localError: problem });
        return;
      }
      this.setData({ uploading: true, localError: '' });
      try {
        const fileID = await uploadPicked(key, file);
        this.setData({ fileId: fileID, src: file.kind === 'image' ? file.path : '', kind: file.kind, uploading: false });
        this.triggerEvent('change', { key, fileID });
      } catch (e) {
        this.setData({ uploading: false, localError: `上传失败：${errorText(e)}` });
      }
    },

    onPreview() {
      const { kind, src } = this.data;
      if (kind === 'image' && src) wx.previewImage({ urls: [src], current: src });
    },
  },
});
