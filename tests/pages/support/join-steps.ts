/** Filling the join form the way a user does: typing, choosing, taking photos, ticking consent. */
import type { Profile } from '../../../typings/api';
import type { PageDriver } from './render';
import { pick } from './system';
import { queueActionSheet, queueMedia, queueMessageFile } from './wx';

export async function typeProfile(page: PageDriver, p: Partial<Profile>, opts: { education?: boolean } = {}): Promise<void> {
  if (p.name !== undefined) await page.input(p.name, '#profile', '#name');
  if (p.idType && p.idType !== 'resident') await page.tap('#profile', `#idType-${p.idType}`);
  if (p.idNumber !== undefined) await page.input(p.idNumber, '#profile', '#idNumber');
  if (p.gender) await page.tap('#profile', `#gender-${p.gender}`);
  if (p.phone !== undefined) await page.input(p.phone, '#profile', '#phone');
  if (p.address !== undefined) await page.input(p.address, '#profile', '#address');
  if (opts.education !== false && p.education) {
    const levels = ['secondary', 'college', 'bachelor', 'master', 'doctor'];
    await page.pick(String(levels.indexOf(p.education.level)), '#profile', '#educationLevel');
    await page.input(p.education.school, '#profile', '#school');
    await page.input(p.education.major, '#profile', '#major');
    await page.pick(p.education.graduatedOn, '#profile', '#graduatedOn');
  }
  if (p.title !== undefined && opts.education !== false) await page.input(p.title, '#profile', '#title');
}

/** Take a photo for slot `key` (camera/album via wx.chooseMedia) and wait for the upload. */
export async function photoInto(page: PageDriver, key: string, file = key === 'photo' ? pick.photo() : pick.idCard()): Promise<void> {
  const before = page.data.files[key];
  const slot = page.find(`#file-${key}`)!;
  // An error the slot already shows (a submit tried without this file) is not this upload's answer:
  // waiting on "any error" let a slow upload finish after the next step had begun.
  const errorBefore = slot.instance.data.shownError;
  queueMedia(file);
  await page.tap(`#file-${key}`, page.find(`#file-${key}`, '#choose') ? '#choose' : '#retake');
  await page.waitFor(
    () => !slot.instance.data.uploading && (page.data.files[key] !== before || (slot.instance.data.shownError && slot.instance.data.shownError !== errorBefore)),
    `upload of ${key}`,
  );
}

/** A PDF forwarded in a chat for slot `key` (action sheet → wx.chooseMessageFile). */
export async function pdfInto(page: PageDriver, key: string): Promise<void> {
  queueActionSheet(1);
  queueMessageFile(pick.pdf());
  await page.tap(`#file-${key}`, '#choose');
  await page.waitFor(() => page.data.files[key], `upload of ${key}`);
}

export async function consent(page: PageDriver): Promise<void> {
  await page.tap('#agree');
  await page.tap('#consent');
}
