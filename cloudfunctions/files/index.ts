/**
 * `files` (issue 9, SPEC §5): storage is private. After uploading, the mini-program confirms the
 * file (`confirm`: its owner, slot, type read from the bytes, size are recorded); it reads files
 * only through `url`, which checks who may see that file and answers a short-lived URL.
 */
import type { Api, FileKey } from '../../typings/api';
import { AppError } from '../../miniprogram/shared/errors';
import { shanghaiIso } from '../../miniprogram/shared/dates';
import { action, createMain } from '../domain/app';
import { FileDoc, fileDoc, fileKey, mayRead } from '../domain/files/files';
import { initCloud } from '../infra/cloud';
import { FILE_RULES, readStored, slotProblem, sniff } from '../infra/files';
import { grantOf } from '../infra/roles';
import { C } from '../infra/schema';
import { getDoc, inTransaction } from '../infra/store';
import { FILE_ID, v } from '../infra/validate';

type F = Api['files'];

/** How long a URL from `url` works (the page re-asks when it needs the file again). */
export const URL_SECONDS = 600;
const SLOTS = Object.keys(FILE_RULES) as FileKey[];
const NOT_YOURS = '您无权查看该文件。';

export const main = createMain({
  confirm: action(v.object({ fileID: FILE_ID, purpose: v.oneOf(SLOTS, '附件用途') }), {
    auth: 'user',
    async handler(input, ctx): Promise<F['confirm']['res']> {
      const known = await fileDoc(ctx.db, input.fileID);
      if (known) {
        if (known.openid !== ctx.openid) throw new AppError('FORBIDDEN', '该文件不是您上传的。');
        return { fileID: known.fileID, kind: known.kind, size: known.size };
      }
      const buf = await readStored(input.fileID);
      if (!buf) throw new AppError('FILE_INVALID', '文件未找到，请重新上传。', { fileID: '文件未找到' });
      const kind = sniff(buf);
      const problem = slotProblem(input.purpose, kind, buf.length);
      if (problem || !kind) throw new AppError('FILE_INVALID', problem || '文件格式不正确', { fileID: problem || '文件格式不正确' });
      const unit = grantOf(ctx.roles, 'unit_admin');
      const doc: Omit<FileDoc, '_id'> = {
        fileID: input.fileID,
        openid: ctx.openid,
        purpose: input.purpose,
        kind,
        size: buf.length,
        ...(unit ? { unitId: unit.scopeId } : {}),
        createdAt: ctx.now,
      };
      // First confirmation wins; a second caller confirming the same fileID is refused.
      await inTransaction(ctx.db, async (t) => {
        const cur = await getDoc<FileDoc>(t, C.files, fileKey(input.fileID));
        if (cur && cur.openid !== ctx.openid) throw new AppError('FORBIDDEN', '该文件不是您上传的。');
        if (!cur) await t.collection(C.files).doc(fileKey(input.fileID)).set({ data: doc });
      });
      return { fileID: input.fileID, kind, size: buf.length };
    },
  }),

  url: action(v.object({ fileID: FILE_ID }), {
    auth: 'user',
    async handler(input, ctx): Promise<F['url']['res']> {
      const doc = await fileDoc(ctx.db, input.fileID);
      // Names are unguessable (128 random bits), so telling "none" from "not yours" leaks nothing.
      if (!doc) throw new AppError('NOT_FOUND', '文件不存在或已过期。');
      if (!(await mayRead(ctx.db, doc, ctx.openid, ctx.roles))) throw new AppError('FORBIDDEN', NOT_YOURS);
      const r = (await initCloud().getTempFileURL({ fileList: [{ fileID: doc.fileID, maxAge: URL_SECONDS }] })) as {
        fileList: { tempFileURL?: string }[];
      };
      const url = r.fileList[0]?.tempFileURL;
      if (!url) throw new AppError('NOT_FOUND', '文件已不存在。');
      return { url, expiresAt: shanghaiIso(new Date(ctx.now.getTime() + URL_SECONDS * 1000)) };
    },
  }),
});
