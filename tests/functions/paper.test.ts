/**
 * The paperwork through the real functions (issue 12): a business form's pre-filled 申请表 and a
 * renewal's 延续登记申请表 as PDFs read back, only for those who may read the full ID number on them;
 * the association's blank forms to download.
 */
import { personFiles } from '../support/attachments';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { randomUUID } from 'crypto';
import { addMonths, shanghaiDay } from '../../miniprogram/shared/dates';
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, httpRequest, startLocalSystem } from '../support/local-system';
import { jpeg, pdf } from '../support/fixtures';
import { ADMIN_A, ADMIN_B, ok } from '../support/journey';
import { addMember } from '../support/people';
import { err } from '../support/accounts';
import { readPdfs } from '../paper/fixtures';

let sys: LocalSystem;
const dir = mkdtempSync(join(tmpdir(), 'paper-'));
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function textOf(url: string) {
  const file = join(dir, `${randomUUID()}.pdf`);
  writeFileSync(file, (await httpRequest(url)).body);
  const [doc] = readPdfs([file]);
  return { pages: doc.pages, text: doc.pages.map((p) => p.text).join('\n').replace(/\s+/g, '') };
}

test('when the unit prints a renewal form, then the PDF is A4, carries the person, the certificate and the seed’s wording; a co-worker or another unit may not print it', async () => {
  const a = await addMember({ name: '欧阳堃', certs: [{ validUntil: addMonths(shanghaiDay(), 3), no: `JLY-PAPER-${Date.now()}` }] });
  const b = await addMember({ name: '同事乙', certs: [{ validUntil: addMonths(shanghaiDay(), 3) }] });
  await database().collection(C.members).doc(b.memberId).update({ data: { openid: 'wx-paper-b' } });
  await database().collection(C.bindings).doc('wx-paper-b').set({ data: { memberId: b.memberId, at: new Date() } });
  const up = (k: 'commitment' | 'insuranceProof' | 'applicationForm') => sys.upload(k === 'applicationForm' ? pdf(500) : jpeg(100, 100), `uploads/p/${randomUUID()}`, ADMIN_A, k);
  const draft = ok(await sys.call('forms', { action: 'create', type: 'continuing-education', certType: '监理员', memberIds: [a.memberId, b.memberId] }, ADMIN_A));
  const people = await personFiles(sys, ADMIN_A, 'continuing-education', [a.memberId, b.memberId]);
  const form = ok(await sys.call('forms', { action: 'submit', formId: draft.id, files: { commitment: await up('commitment'), insuranceProof: await up('insuranceProof'), applicationForm: await up('applicationForm') }, people }, ADMIN_A));
  const paper = ok(await sys.call('forms', { action: 'paper', formId: form.id, person: 0 }, ADMIN_A));
  expect(paper.fileName).toBe('延续登记申请表-欧阳堃.pdf');
  const { pages, text } = await textOf(paper.url);
  expect(pages).toHaveLength(1);
  expect([Math.round(pages[0].width), Math.round(pages[0].height)]).toEqual([595, 842]);
  for (const s of ['延续登记申请表', '欧阳堃', a.idNumber, '本人承诺以上内容真实准确', '该同志受聘在我单位', '单位公章']) expect(text).toContain(s);
  // The co-worker on the same form prints only their own; another unit nothing.
  expect(err(await sys.call('forms', { action: 'paper', formId: form.id, person: 0 }, 'wx-paper-b'))).toBe('FORBIDDEN');
  const own = ok(await sys.call('forms', { action: 'paper', formId: form.id }, 'wx-paper-b'));
  expect((await textOf(own.url)).text).toContain('同事乙');
  expect(err(await sys.call('forms', { action: 'paper', formId: form.id }, ADMIN_B))).toBe('FORBIDDEN');
  const audit = (await database().collection(C.audit).where({ targetId: form.id }).get()).data.filter((e: any) => e.action === 'paper');
  expect(audit.map((e: any) => e.actor)).toEqual([ADMIN_A, 'wx-paper-b']);
});

test('when anyone signed in asks for the templates, then the association’s blank forms download as PDFs', async () => {
  const list = ok(await sys.call('forms', { action: 'templates' }, 'wx-anyone'));
  expect(list.map((t: any) => t.name)).toEqual(['申请表', '单位承诺书', '注销申请表', '单位会员入会申请表']);
  for (const t of list) {
    const { text } = await textOf(t.url);
    expect(text).toContain(t.name);
  }
  expect(err(await sys.call('forms', { action: 'templates' }, ''))).toBe('UNAUTHENTICATED');
});
