/**
 * 证书批量下载与导出 (unit admin; SPEC §3.5 Batch): choose people by the roster filters, see how many
 * people and certificates they select, then
 * - pack their valid e-certificates into one zip (`certs.batch`): the page makes the job id, starts
 *   the call and polls `certs.job` every second for the progress bar until the call answers;
 * - export the roster with certificate columns as .xlsx (`certs.export`).
 * A zip or a workbook reaches a computer by sending it into a chat (文件传输助手) or by its link.
 */
import type { CertJobView, EducationLevel, MembershipLevel, RosterFilter } from '../../../typings/api';
import { shanghaiDay } from '../../shared/dates';
import { call } from '../../services/request';
import { loadMe, unitAdminRole } from '../../services/session';
import { errorText } from '../../utils/format';
import { newJobId, shareFile, sizeText } from '../cert-utils';
import { downloadStored, openStoredDocument } from '../../services/upload';

const LEVELS: { label: string; value?: MembershipLevel }[] = [{ label: '全部会员类型' }, { label: '普通会员', value: 'ordinary' }, { label: '专业会员', value: 'professional' }];
const EDUCATION: { label: string; value?: EducationLevel }[] = [
  { label: '全部学历' },
  { label: '中专', value: 'secondary' },
  { label: '大专', value: 'college' },
  { label: '本科', value: 'bachelor' },
  { label: '硕士', value: 'master' },
  { label: '博士', value: 'doctor' },
];
const LAPSED: { label: string; value?: boolean }[] = [{ label: '全部会籍状态' }, { label: '会籍有效', value: false }, { label: '会籍已过期', value: true }];
const HOLDS: { label: string; value?: boolean }[] = [{ label: '持证与未持证' }, { label: '持有证书', value: true }, { label: '未持证书', value: false }];
const CERT_TYPES = ['全部证书类型', '监理员', '专业监理工程师', '安全监理员'];
const POLL_MS = 1000;

interface JobState {
  status: CertJobView['status'];
  done: number;
  total: number;
  percent: number;
}

Component({
  data: {
    today: shanghaiDay(),
    unitName: '',
    loading: true,
    error: '',
    levelNames: LEVELS.map((x) => x.label),
    educationNames: EDUCATION.map((x) => x.label),
    lapsedNames: LAPSED.map((x) => x.label),
    holdNames: HOLDS.map((x) => x.label),
    certTypeNames: CERT_TYPES,
    level: 0,
    education: 0,
    lapsed: 0,
    hold: 0,
    certType: 0,
    title: '',
    name: '',
    ageMin: '',
    ageMax: '',
    joinedFrom: '',
    joinedTo: '',
    counting: false,
    counts: null as null | { people: number; certificates: number; downloadable: number; max: number },
    countError: '',
    job: null as null | JobState,
    packing: false,
    zip: null as null | { fileID: string; url: string; fileName: string; size: string; count: number },
    /** Every zip of the job (a job over 500 certificates is several), in order. */
    zips: [] as { fileID: string; url: string; fileName: string; size: string; count: number }[],
    skipped: [] as CertJobView['skipped'],
    showSkipped: false,
    batchError: '',
    exporting: false,
    sheet: null as null | { fileID: string; url: string; fileName: string; rows: number; people: number },
    exportError: '',
  },
  methods: {
    async onLoad() {
      try {
        const me = await loadMe();
        const role = unitAdminRole(me.roles);
        if (!role) {
          this.setData({ loading: false, error: '只有单位管理员可以批量下载证书和导出花名册。' });
          return;
        }
        this.setData({ loading: false, unitName: role.scopeName || '' });
        this.count();
      } catch (e) {
        this.setData({ loading: false, error: errorText(e) });
      }
    },
    onRetry() {
      this.setData({ loading: true, error: '' });
      this.onLoad();
    },

    filter(): RosterFilter {
      const d = this.data;
      const f: RosterFilter = {};
      const level = LEVELS[d.level].value;
      const education = EDUCATION[d.education].value;
      const lapsed = LAPSED[d.lapsed].value;
      const hold = HOLDS[d.hold].value;
      if (level) f.level = level;
      if (education) f.education = education;
      if (lapsed !== undefined) f.lapsed = lapsed;
      if (hold !== undefined) f.hasCertificate = hold;
      if (d.certType > 0) f.certType = CERT_TYPES[d.certType];
      if (d.title.trim()) f.title = d.title.trim();
      if (d.name.trim()) f.name = d.name.trim();
      const min = parseInt(d.ageMin, 10);
      const max = parseInt(d.ageMax, 10);
      if (!isNaN(min)) f.ageMin = min;
      if (!isNaN(max)) f.ageMax = max;
      if (d.joinedFrom) f.joinedFrom = d.joinedFrom;
      if (d.joinedTo) f.joinedTo = d.joinedTo;
      return f;
    },

    async count() {
      this.setData({ counting: true, countError: '' });
      try {
        const counts = await call('certs', 'preview', { filter: this.filter() });
        this.setData({ counting: false, counts });
      } catch (e) {
        this.setData({ counting: false, counts: null, countError: errorText(e) });
      }
    },

    changed(patch: Record<string, unknown>) {
      this.setData({ ...patch, zip: null, zips: [], sheet: null, skipped: [], batchError: '', exportError: '' });
      this.count();
    },
    onPick(e: WechatMiniprogram.CustomEvent<{ value: string | number }>) {
      const key = String(e.currentTarget.dataset.key);
      this.changed({ [key]: Number(e.detail.value) || 0 });
    },
    onDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.changed({ [String(e.currentTarget.dataset.key)]: e.detail.value });
    },
    onText(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ [String(e.currentTarget.dataset.key)]: e.detail.value });
    },
    onApplyText() {
      this.changed({});
    },
    onReset() {
      this.changed({ level: 0, education: 0, lapsed: 0, hold: 0, certType: 0, title: '', name: '', ageMin: '', ageMax: '', joinedFrom: '', joinedTo: '' });
    },

    async onPack() {
      if (this.data.packing) return;
      const jobId = newJobId();
      this.setData({ packing: true, batchError: '', zip: null, zips: [], skipped: [], job: { status: 'running', done: 0, total: this.data.counts ? this.data.counts.downloadable : 0, percent: 0 } });
      let finished = false;
      const poll = async () => {
        while (!finished) {
          await new Promise((r) => setTimeout(r, POLL_MS));
          if (finished) return;
          try {
            const j = await call('certs', 'job', { jobId });
            if (!finished) this.showJob(j);
          } catch (e) {
            // Not recorded yet (the batch call has just started): keep polling.
          }
        }
      };
      poll();
      try {
        // Each call renders one chunk and answers the job; call again until it is no longer running
        // (a chunk cut off by a network error is done again by the next call: nothing is lost).
        let j = await call('certs', 'batch', { jobId, filter: this.filter() });
        while (j.status === 'running') {
          this.showJob(j);
          j = await call('certs', 'batch', { jobId });
        }
        finished = true;
        if (j.status === 'failed') throw new Error(j.error || '打包失败，请稍后再试');
        this.showJob(j);
        const zips = (j.parts || []).map((p) => ({ fileID: p.fileID, url: p.url, fileName: p.fileName, size: sizeText(p.bytes), count: p.count }));
        this.setData({
          packing: false,
          zips,
          zip: zips[0] || { fileID: j.fileID || '', url: j.url || '', fileName: j.fileName || '电子证书.zip', size: sizeText(j.bytes), count: j.total },
          skipped: j.skipped,
        });
      } catch (e) {
        finished = true;
        let skipped: CertJobView['skipped'] = [];
        try {
          skipped = (await call('certs', 'job', { jobId })).skipped;
        } catch (err) {
          // The job was never recorded: nothing to list.
        }
        this.setData({ packing: false, job: null, batchError: errorText(e), skipped });
      }
    },

    showJob(j: CertJobView) {
      const total = j.total || (this.data.job ? this.data.job.total : 0);
      this.setData({ job: { status: j.status, done: j.done, total, percent: total ? Math.floor((j.done / total) * 100) : 0 } });
    },

    onToggleSkipped() {
      this.setData({ showSkipped: !this.data.showSkipped });
    },

    async onExport() {
      if (this.data.exporting) return;
      this.setData({ exporting: true, exportError: '', sheet: null });
      try {
        const r = await call('certs', 'export', { filter: this.filter() });
        this.setData({ exporting: false, sheet: r });
      } catch (e) {
        this.setData({ exporting: false, exportError: errorText(e) });
      }
    },

    async onShare(e: WechatMiniprogram.TouchEvent) {
      const file = e.currentTarget.dataset.kind === 'sheet' ? this.data.sheet : this.data.zips[Number(e.currentTarget.dataset.index) || 0] || this.data.zip;
      if (!file) return;
      wx.showLoading({ title: '正在下载…', mask: true });
      try {
        const path = await downloadStored(file.fileID);
        wx.hideLoading();
        await shareFile(path, file.fileName);
      } catch (err) {
        wx.hideLoading();
        const msg = String((err && (err as { errMsg?: string }).errMsg) || '');
        if (!/cancel/i.test(msg)) wx.showToast({ title: '发送失败，可复制链接在电脑浏览器中下载', icon: 'none' });
      }
    },

    async onOpenSheet() {
      const sheet = this.data.sheet;
      if (sheet) await openStoredDocument(sheet.fileID, 'xlsx', '打开失败，请重试');
    },

    onCopyLink(e: WechatMiniprogram.TouchEvent) {
      const file = e.currentTarget.dataset.kind === 'sheet' ? this.data.sheet : this.data.zips[Number(e.currentTarget.dataset.index) || 0] || this.data.zip;
      if (!file || !file.url) return;
      wx.setClipboardData({ data: file.url, success: () => wx.showToast({ title: '链接已复制，2小时内有效', icon: 'none' }) });
    },
  },
});
