/** The two shapes of a transaction conflict the cloud gives (shared/NOTES.md), and nothing else. */
import { isTxConflict } from '../../cloudfunctions/infra/store';

test('the commit-time code and the write-time -501001 TransactionConflict are conflicts', () => {
  expect(isTxConflict({ code: 'DATABASE_TRANSACTION_CONFLICT' })).toBe(true);
  const write = Object.assign(new Error('document.update:fail -501001 resource system error. [ResourceUnavailable.TransactionConflict] Transaction is conflict, please retry.'), { errCode: -501001 });
  expect(isTxConflict(write)).toBe(true);
});

test('other -501001 failures, duplicates and plain errors are not', () => {
  expect(isTxConflict(Object.assign(new Error('document.get:fail -501001 resource system error. timeout'), { errCode: -501001 }))).toBe(false);
  expect(isTxConflict(Object.assign(new Error('E11000 duplicate key'), { errCode: -502001 }))).toBe(false);
  expect(isTxConflict(new Error('TransactionConflict'))).toBe(false);
  expect(isTxConflict(null)).toBe(false);
});
