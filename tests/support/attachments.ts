/**
 * Real attachments for a business form as the manual's table asks (miniprogram/shared/business-rules.ts):
 * the form's papers and each person's own — the same table the wizard and `forms.submit` read.
 */
import { randomUUID } from 'crypto';
import type { FileKey } from '../../typings/api';
import { attachmentRules } from '../../miniprogram/shared/business-rules';
import type { BusinessType } from '../../miniprogram/shared/eligibility';
import { jpeg, pdf } from './fixtures';
import type { LocalSystem } from './local-system';

/** Papers go up as PDFs, everything else as photos (both are accepted where the seed asks no PDF). */
async function upload(sys: LocalSystem, owner: string, key: FileKey): Promise<string> {
  const paper = key === 'applicationForm' || key === 'resignationProof';
  return sys.upload(paper ? pdf(500) : jpeg(160, 220, 80, key.length), `uploads/att/${randomUUID()}-${key}`, owner, key);
}

/** The required form-level files of `type`, uploaded by `owner`. */
export async function formFiles(sys: LocalSystem, owner: string, type: string, reason?: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const r of attachmentRules(type as BusinessType, reason)) if (r.per === 'form' && r.required) out[r.key] = await upload(sys, owner, r.key);
  return out;
}

/** Each person's required files of `type`, uploaded by `owner`: the `people` of forms.create / forms.submit. */
export async function personFiles(sys: LocalSystem, owner: string, type: string, memberIds: string[]): Promise<{ memberId: string; files: Record<string, string> }[]> {
  const rules = attachmentRules(type as BusinessType).filter((r) => r.per === 'person' && r.required);
  const out: { memberId: string; files: Record<string, string> }[] = [];
  for (const memberId of memberIds) {
    const files: Record<string, string> = {};
    for (const r of rules) files[r.key] = await upload(sys, owner, r.key);
    out.push({ memberId, files });
  }
  return out;
}

/** Everything a submission of `type` needs: `{ files, people }` to spread into forms.submit. */
export async function submission(sys: LocalSystem, owner: string, type: string, memberIds: string[], reason?: string) {
  return { files: await formFiles(sys, owner, type, reason), people: await personFiles(sys, owner, type, memberIds) };
}
