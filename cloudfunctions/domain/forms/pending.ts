/**
 * "One of this kind in flight" (one join application per ID number, one membership application
 * and one information change per unit), without a sparse unique index — which the CloudBase console
 * may not offer (issue 10): each key is a document of `pending` whose id is the key, claimed in the
 * transaction that creates the form and released in the one that ends it. Two claims of one key
 * cannot both commit: the second finds the first (or conflicts with it and finds it on retry).
 */
import { AppError } from '../../../miniprogram/shared/errors';
import type { Database } from '../../infra/cloud';
import { C } from '../../infra/schema';
import { getDoc, Tx } from '../../infra/store';
import type { FormDoc } from '../model';

interface PendingDoc {
  _id: string;
  formId: string;
  at: Date;
}

/** Claim `key` for `formId` inside a transaction; DUPLICATE (with `message`) when another form holds it. */
export async function claimPending(t: Tx, key: string, formId: string, now: Date, message: string): Promise<void> {
  const cur = await getDoc<PendingDoc>(t, C.pending, key);
  if (cur && cur.formId !== formId) throw new AppError('DUPLICATE', message);
  if (!cur) await t.collection(C.pending).doc(key).set({ data: { formId, at: now } });
}

/** Release `key` if `formId` holds it (inside the transaction that ends or re-keys the form). */
export async function releasePending(t: Tx, key: string | undefined, formId: string): Promise<void> {
  if (!key) return;
  const cur = await getDoc<PendingDoc>(t, C.pending, key);
  if (cur && cur.formId === formId) await t.collection(C.pending).doc(key).remove();
}

/** The forms holding these keys now (read by id: no index needed). */
export async function pendingForms(db: Database, keys: string[]): Promise<FormDoc[]> {
  const held = await Promise.all(keys.map((k) => getDoc<PendingDoc>(db, C.pending, k)));
  const forms = await Promise.all(held.filter((h): h is PendingDoc => !!h).map((h) => getDoc<FormDoc>(db, C.forms, h.formId)));
  return forms.filter((f): f is FormDoc => !!f);
}
