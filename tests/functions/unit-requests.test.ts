/** 找不到单位 (issue 12): a holder asks for their employer; the secretariat approves, merges or refuses it. */
import { database } from '../../cloudfunctions/infra/cloud';
import { C } from '../../cloudfunctions/infra/schema';
import { LocalSystem, startLocalSystem } from '../support/local-system';
import { ok } from '../support/journey';
import { addMember } from '../support/people';
import { err, freshCreditCode, SECRETARIAT } from '../support/accounts';

let sys: LocalSystem;
beforeAll(async () => {
  sys = await startLocalSystem();
});
afterAll(async () => {
  await sys?.close();
});

async function holder(openid: string) {
  const m = await addMember({ certs: [{}] });
  await database().collection(C.members).doc(m.memberId).update({ data: { openid } });
  await database().collection(C.bindings).doc(openid).set({ data: { memberId: m.memberId, at: new Date() } });
}

test('when a holder asks for a unit and the secretariat approves it, then the unit exists and the holder hears of it; merge and refuse end the request too', async () => {
  await holder('wx-req-1');
  expect(err(await sys.call('units', { action: 'request', name: '示例新建设备监理有限公司', creditCode: freshCreditCode() }, 'wx-stranger'))).toBe('FORBIDDEN');
  expect(err(await sys.call('units', { action: 'request', name: '示例监理有限公司', creditCode: freshCreditCode() }, 'wx-req-1'))).toBe('DUPLICATE');
  const code = freshCreditCode();
  const req = ok(await sys.call('units', { action: 'request', name: '示例新建设备监理有限公司', creditCode: code, contact: '王工 13800000000' }, 'wx-req-1'));
  expect(req).toMatchObject({ status: 'pending', name: '示例新建设备监理有限公司' });
  expect(ok(await sys.call('admin', { action: 'unitRequests' }, SECRETARIAT)).items.map((r: any) => r.id)).toContain(req.id);
  expect(err(await sys.call('admin', { action: 'decideUnitRequest', requestId: req.id, decision: 'approve' }, SECRETARIAT))).toBe('INVALID_INPUT');
  const done = ok(await sys.call('admin', { action: 'decideUnitRequest', requestId: req.id, decision: 'approve', orgId: 'org-demo' }, SECRETARIAT));
  expect(done).toMatchObject({ status: 'approved', unit: { name: '示例新建设备监理有限公司' } });
  const units = ok(await sys.call('admin', { action: 'listUnits', creditCode: code }, SECRETARIAT)).items;
  expect(units).toEqual([expect.objectContaining({ name: '示例新建设备监理有限公司', isMember: false })]);
  expect(ok(await sys.call('notices', { action: 'list' }, 'wx-req-1')).items[0]).toMatchObject({ title: '单位已添加' });
  expect(err(await sys.call('admin', { action: 'decideUnitRequest', requestId: req.id, decision: 'refuse', reason: '重复' }, SECRETARIAT))).toBe('CONFLICT');

  const other = ok(await sys.call('units', { action: 'request', name: '示例监理（有限）公司', creditCode: freshCreditCode() }, 'wx-req-1'));
  expect(ok(await sys.call('admin', { action: 'decideUnitRequest', requestId: other.id, decision: 'merge', unitId: 'unit-a' }, SECRETARIAT))).toMatchObject({ status: 'merged', unit: { id: 'unit-a' } });
  const third = ok(await sys.call('units', { action: 'request', name: '示例查无此单位公司', creditCode: freshCreditCode() }, 'wx-req-1'));
  expect(err(await sys.call('admin', { action: 'decideUnitRequest', requestId: third.id, decision: 'refuse' }, SECRETARIAT))).toBe('INVALID_INPUT');
  expect(ok(await sys.call('admin', { action: 'decideUnitRequest', requestId: third.id, decision: 'refuse', reason: '查无此单位' }, SECRETARIAT))).toMatchObject({ status: 'refused', reason: '查无此单位' });
  // Three requests an hour per holder: the next is RATE_LIMITED.
  expect(err(await sys.call('units', { action: 'request', name: '示例第四家公司', creditCode: freshCreditCode() }, 'wx-req-1'))).toBe('RATE_LIMITED');
});
