/** The caller's own forms (from `members.me`), for the member's list pages. */
import type { FormSummary } from '../../typings/api';
import type { PageAnswer } from '../behaviors/paged-list';
import type { Me } from '../services/session';
import { loadMe } from '../services/session';

/**
 * One page of the caller's forms, newest first, paged on the phone (a person has few). The first
 * page asks the server again; the later ones slice the same answer. `me` comes along for the page.
 */
export async function myFormsPage(page: number, pageSize: number): Promise<PageAnswer<FormSummary> & { me: Me }> {
  const me = await loadMe(page === 1);
  const all = me.forms.slice().sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { me, items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
}
