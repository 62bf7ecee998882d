/**
 * 会员身份资料更新 (SPEC §3.4 ID-card supplement): a member registered before the platform scans the
 * unit's id-update code, looks themself up by name + ID number (`members.idLookup`), uploads the ID
 * card front/back (OCR is tried; locally it answers honestly that it is unavailable), confirms name,
 * ID number and the phone on record, and `members.idSupplement` asks to bind the record to this
 * WeChat; the unit's admin confirms it (`pkg-unit/bind-requests`) before anything binds (issue 9).
 */
import type { FileKey, ResOf } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { checkIdNumber, normalizeIdNumber } from '../../shared/id-number';
import { call } from '../../services/request';
import { invalidateMe } from '../../services/session';
import { errorText, flattenErrors } from '../../utils/format';
import { codeFromQuery } from '../../utils/scan';

type Found = ResOf<'members', 'idLookup'>;

Component({
  data: {
    code: '',
    step: 'lookup' as 'lookup' | 'upload' | 'done',
    name: '',
    idNumber: '',
    phone: '',
    errors: {} as Record<string, string>,
    busy: false,
    error: '',
    found: null as Found | null,
    claimedByOther: false,
    files: {} as Partial<Record<FileKey, string>>,
    ocrNote: '',
    ocrBusy: false,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const code = codeFromQuery(query || {});
      if (!code) this.setData({ error: '缺少会员身份资料更新码，请扫描单位管理员出示的二维码。' });
      else this.setData({ code });
    },

    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const key = String(e.currentTarget.dataset.key || '');
      if (key) this.setData({ [key]: e.detail.value, [`errors.${key}`]: '' });
    },

    checkNameId(): Record<string, string> {
      const errors: Record<string, string> = {};
      if (!this.data.name.trim()) errors.name = '请填写姓名';
      const idProblem = checkIdNumber('resident', this.data.idNumber, shanghaiDay());
      if (!this.data.idNumber.trim()) errors.idNumber = '请填写身份证号码';
      else if (idProblem) errors.idNumber = idProblem;
      return errors;
    },

    async onLookup() {
      if (this.data.busy || !this.data.code) return;
      const errors = this.checkNameId();
      if (Object.keys(errors).length) {
        this.setData({ errors });
        return;
      }
      this.setData({ busy: true, error: '', errors: {} });
      try {
        const found = await call('members', 'idLookup', {
          code: this.data.code,
          name: this.data.name.trim(),
          idNumber: normalizeIdNumber(this.data.idNumber),
        });
        const claimedByOther = found.bound && !found.boundToYou;
        this.setData({ busy: false, found, claimedByOther, step: claimedByOther ? 'lookup' : 'upload' });
      } catch (e) {
        this.setData({ busy: false, error: errorText(e), found: null });
      }
    },

    onBack() {
      this.setData({ step: 'lookup', found: null, claimedByOther: false, error: '' });
    },

    async onFile(e: WechatMiniprogram.CustomEvent<{ key: FileKey; fileID: string }>) {
      const key = (e.detail && e.detail.key) || (String(e.currentTarget.dataset.key || '') as FileKey);
      const fileID = e.detail.fileID;
      this.setData({ [`files.${key}`]: fileID, [`errors.files_${key}`]: '' });
      if (key !== 'idFront' || !fileID) return;
      // Try OCR on the portrait side; an honest "unavailable" means the user types the fields.
      this.setData({ ocrBusy: true, ocrNote: '' });
      try {
        const r = await call('members', 'ocrIdCard', { fileID, side: 'front' });
        if (r.available) {
          const patch: Record<string, string> = { ocrNote: '已识别身份证信息，请核对后提交' };
          if (r.fields.name) patch.name = r.fields.name;
          if (r.fields.idNumber) patch.idNumber = r.fields.idNumber;
          this.setData({ ...patch, ocrBusy: false });
        } else this.setData({ ocrBusy: false, ocrNote: r.message || '识别服务不可用，请手动填写' });
      } catch (err) {
        this.setData({ ocrBusy: false, ocrNote: '识别服务不可用，请手动填写' });
      }
    },

    async onSubmit() {
      if (this.data.busy) return;
      const errors = this.checkNameId();
      if (!/^1\d{10}$/.test(this.data.phone.trim())) errors.phone = '请填写11位手机号码';
      if (!this.data.files.idFront) errors.files_idFront = '请上传身份证人像面';
      if (!this.data.files.idBack) errors.files_idBack = '请上传身份证国徽面';
      if (Object.keys(errors).length) {
        this.setData({ errors });
        return;
      }
      this.setData({ busy: true, error: '', errors: {} });
      try {
        await call('members', 'idSupplement', {
          code: this.data.code,
          name: this.data.name.trim(),
          idNumber: normalizeIdNumber(this.data.idNumber),
          phone: this.data.phone.trim(),
          files: { idFront: this.data.files.idFront, idBack: this.data.files.idBack },
        });
        invalidateMe();
        this.setData({ busy: false, step: 'done' });
      } catch (e) {
        const fields = e && typeof e === 'object' && 'fields' in e ? (e as { fields?: Record<string, string> }).fields : undefined;
        this.setData({ busy: false, error: errorText(e), errors: flattenErrors(fields) });
      }
    },

    onHome() {
      wx.reLaunch({ url: '/pages/home/index' });
    },
  },
});
