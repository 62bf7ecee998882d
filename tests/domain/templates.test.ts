/**
 * Subscribe-message templates are configuration (issue 10): the `templates` document maps each
 * message to its template id and keys; every value is cut to its key type's limit.
 */
import { fill, fitValue, loadTemplates } from '../../cloudfunctions/infra/messenger';

test('each key type takes its value as WeChat allows it', () => {
  expect(fitValue('thing1', '继续教育 JY-20261202000001 已审批完成，请查看')).toHaveLength(20);
  expect(fitValue('thing1', '继续教育 JY-20261202000001 已审批完成，请查看').endsWith('…')).toBe(true);
  expect(fitValue('character_string2', 'JY-20261202000001（继续教育）')).toBe('JY-20261202000001');
  expect(fitValue('number3', '共 12 人')).toBe('12');
  expect(fitValue('name4', '欧阳娜娜娜娜娜娜娜娜娜娜')).toHaveLength(10);
  expect(fitValue('phrase5', '审批完成了')).toBe('审批完成了');
  expect(fitValue('phrase5', '已审批完成了')).toHaveLength(5);
  expect(fitValue('amount6', '应缴 380 元')).toBe('380元');
  expect(fitValue('time7', '2026-12-02T10:43:05+08:00')).toBe('2026年12月2日 10:43');
  expect(fitValue('date8', '2026-12-02T10:43:05+08:00')).toBe('2026年12月2日');
  expect(fitValue('thing9', '')).toBe('-');
});

test('a template changed in configuration is used without a code change', async () => {
  const stored = {
    'review-result': { id: 'TPL-NEW', fields: { character_string1: 'title', thing5: 'body', date2: 'time' } },
  };
  const db = { collection: () => ({ doc: () => ({ get: async () => ({ data: stored }) }) }) };
  const t = await loadTemplates(db);
  expect(t['review-result'].id).toBe('TPL-NEW');
  expect(fill(t['review-result'], { title: 'JY-20261202000001 审批完成', body: '您的继续教育报名已审批完成，请按时学习', time: '2026-12-02T09:00:00+08:00' })).toEqual({
    character_string1: { value: 'JY-20261202000001' },
    thing5: { value: '您的继续教育报名已审批完成，请按时学习' },
    date2: { value: '2026年12月2日' },
  });
  // Templates not configured keep the default layout (thing1 / thing2 / time3).
  expect(Object.keys(t['bill-due'].fields)).toEqual(['thing1', 'thing2', 'time3']);
});
