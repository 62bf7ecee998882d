/**
 * A list as an .xlsx in private storage (issue 12 exports, 开票记录): rows written with exceljs,
 * uploaded under an unguessable name, recorded for the caller's unit (its admins read it through
 * files.url), kept a day, answered with a short-lived URL.
 */
import ExcelJS from 'exceljs';
import type { CertFileRef } from '../../../typings/api';
import type { Database } from '../../infra/cloud';
import { initCloud, uploadFile } from '../../infra/cloud';
import { recordMade, TEMP_FILE_HOURS, unguessable } from '../files/files';

export interface Column {
  header: string;
  key: string;
  width?: number;
}

export async function exportXlsx(
  db: Database,
  sheet: string,
  columns: Column[],
  rows: Record<string, unknown>[],
  by: { openid: string; unitId?: string; now: Date; fileName: string; folder: string },
): Promise<CertFileRef> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: c.width || 16 }));
  for (const r of rows) ws.addRow(r);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  const fileID = await uploadFile(`${by.folder}/${by.unitId || 'all'}/${unguessable()}.xlsx`, buf);
  await recordMade(db, { fileID, openid: by.openid, purpose: 'export', kind: 'xlsx', size: buf.length, ...(by.unitId ? { unitId: by.unitId } : {}), now: by.now, ttlHours: TEMP_FILE_HOURS });
  const r = (await initCloud().getTempFileURL({ fileList: [{ fileID, maxAge: 600 }] })) as { fileList: { tempFileURL?: string }[] };
  return { fileID, url: r.fileList[0]?.tempFileURL || '', fileName: by.fileName };
}
