/**
 * `certs` (SPEC §3.5, §5): certificate lookup and verification (also served by the lighter
 * `cert-lookup`), the holder's e-certificate PNG, and a unit admin's batch zip and roster export.
 */
import type { Api, CertJobView } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { renderCertificate, CERT_HEIGHT, CERT_WIDTH } from './render';
import { issuerName, lookupAction, verifyAction } from '../domain/certs/public';
import { uploadFile } from '../infra/cloud';
import { recordMade, TEMP_FILE_HOURS, unguessable } from '../domain/files/files';
import type { CertificateDoc, MemberDoc, UnitDoc } from '../domain/model';
import { grantOf, adminUnitId } from '../infra/roles';
import { ROSTER_FILTER } from '../domain/roster/roster';
import { action, createMain } from '../domain/app';
import { C } from '../infra/schema';
import { getDoc, mustGet } from '../infra/store';
import { ID, v } from '../infra/validate';
import { artworkOf, ecertFileName, notDownloadable, photoOf, tempUrl, unprintableReason } from './artwork';
import { jobView, loadJob, MAX_BATCH, runBatch, selectCertificates } from './batch';
import { runExport } from './export';

type Certs = Api['certs'];
const JOB_ID = v.string({ min: 8, max: 40, pattern: /^[A-Za-z0-9_-]+$/, label: '任务编号' });

async function adminUnit(ctx: { db: unknown; roles: Parameters<typeof adminUnitId>[0] }): Promise<UnitDoc> {
  const unitId = adminUnitId(ctx.roles);
  return mustGet<UnitDoc>(ctx.db, C.units, unitId, '单位');
}

function newJobId(): string {
  return `j${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export const main = createMain({
  lookup: lookupAction,
  verify: verifyAction,

  ecert: action(v.object({ certId: ID }), {
    auth: 'user',
    async handler(input, ctx): Promise<Certs['ecert']['res']> {
      const cert = await mustGet<CertificateDoc>(ctx.db, C.certificates, input.certId, '证书');
      const member = await getDoc<MemberDoc>(ctx.db, C.members, cert.memberId);
      // The holder, or an admin of the unit the holder belongs to (SPEC §4: a unit sees only its own people).
      const holder = !!member && !!member.openid && member.openid === ctx.openid;
      const admin = !!member?.unitId && !!grantOf(ctx.roles, 'unit_admin', member.unitId);
      if (!holder && !admin) throw new AppError('FORBIDDEN', '只有证书持有人或其所在单位的管理员可以下载电子证书。');
      const refusal = notDownloadable(cert, ctx.today);
      if (refusal) throw new AppError('NOT_ELIGIBLE', `${refusal}。`);
      const issuer = await issuerName(ctx.db);
      const unprintable = unprintableReason(cert, issuer);
      if (unprintable) throw new AppError('NOT_ELIGIBLE', unprintable);
      const { art, token, url } = artworkOf(cert, member, issuer, await photoOf(member), ctx.now);
      const png = renderCertificate(art);
      // Private, under an unguessable name, readable by the holder and their unit's admins; a
      // temporary file (the cleanup removes it after a day).
      const fileID = await uploadFile(`ecerts/${unguessable()}.png`, png);
      await recordMade(ctx.db, { fileID, openid: ctx.openid, purpose: 'ecert', kind: 'png', size: png.length, memberId: cert.memberId, now: ctx.now, ttlHours: TEMP_FILE_HOURS });
      return { fileID, url: await tempUrl(fileID), fileName: ecertFileName(cert), width: CERT_WIDTH, height: CERT_HEIGHT, token, verifyUrl: url };
    },
  }),

  preview: action(v.object({ filter: v.optional(ROSTER_FILTER) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<Certs['preview']['res']> {
      const unitId = adminUnitId(ctx.roles);
      const issuer = await issuerName(ctx.db);
      const sel = await selectCertificates(ctx.db, unitId, input.filter || {}, ctx.today, issuer);
      return { people: sel.people, certificates: sel.certificates, downloadable: sel.items.length, max: MAX_BATCH };
    },
  }),

  // A new jobId (or none) makes the job from the filter; an existing one of the caller's unit
  // continues it (the filter is then ignored). Each call does one chunk of the work and answers the
  // job; call again until `status` is no longer 'running' (batch.ts).
  batch: action(v.object({ filter: v.optional(ROSTER_FILTER), jobId: v.optional(JOB_ID) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<CertJobView> {
      const unit = await adminUnit(ctx);
      return runBatch(ctx.db, {
        unitId: unit._id,
        unitName: unit.name,
        openid: ctx.openid,
        filter: input.filter || {},
        jobId: input.jobId || newJobId(),
        now: ctx.now,
        today: ctx.today,
      });
    },
  }),

  job: action(v.object({ jobId: JOB_ID }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<CertJobView> {
      return jobView(await loadJob(ctx.db, input.jobId, adminUnitId(ctx.roles)), ctx.now);
    },
  }),

  export: action(v.object({ filter: v.optional(ROSTER_FILTER) }), {
    auth: ['unit_admin'],
    async handler(input, ctx): Promise<Certs['export']['res']> {
      const unit = await adminUnit(ctx);
      return runExport(ctx.db, { unitId: unit._id, unitName: unit.name, openid: ctx.openid, filter: input.filter || {}, now: ctx.now, today: ctx.today });
    },
  }),
});
