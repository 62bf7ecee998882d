/**
 * Writes legacy export files (SPEC §5 "Legacy import file") for the import tests and the benchmark:
 * real .xlsx files made with exceljs (streaming, so 100k people are fine), sheets 单位 / 人员 / 证书
 * with Chinese headers, in a shuffled column order as the spec allows.
 */
import ExcelJS from 'exceljs';
import { creditCodeCheckChar } from '../../miniprogram/shared/credit-code';
import { residentCheckChar } from '../../miniprogram/shared/id-number';

export type Cells = Record<string, string | number | Date | null | undefined>;

export interface LegacyFile {
  units: Cells[];
  people: Cells[];
  certs: Cells[];
}

const HEADERS = {
  单位: ['初审机构', '单位名称', '是否会员', '统一社会信用代码', '会籍有效期'],
  人员: ['身份证号', '姓名', '性别', '手机号码', '工作单位', '学历', '毕业院校', '所学专业', '毕业时间', '职称', '普通会籍有效期', '专业会籍有效期', '入会日期'],
  证书: ['证书编号', '身份证号', '证书类型', '专业1', '专业2', '初次发证日期', '上次换证日期', '证书有效期', '证书状态'],
};

export async function writeLegacyFile(path: string, f: LegacyFile, opts: { sheets?: (keyof typeof HEADERS)[]; omit?: string[] } = {}): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: true });
  const data: Record<keyof typeof HEADERS, Cells[]> = { 单位: f.units, 人员: f.people, 证书: f.certs };
  for (const name of opts.sheets || (Object.keys(HEADERS) as (keyof typeof HEADERS)[])) {
    const ws = wb.addWorksheet(name);
    const headers = HEADERS[name].filter((h) => !(opts.omit || []).includes(h));
    ws.addRow(headers).commit();
    for (const cells of data[name]) {
      const row = ws.addRow(headers.map((h) => (cells[h] === undefined ? null : cells[h])));
      row.eachCell((cell) => {
        if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      });
      row.commit();
    }
    ws.commit();
  }
  await wb.commit();
}

/** A valid 统一社会信用代码 from a number. */
export function creditCode(n: number): string {
  const body = `91440101MA${String(n).padStart(7, '0')}`;
  return body + creditCodeCheckChar(body);
}

/** A valid, distinct ID number for person n (n < 1.2 million), with its birth date and gender. */
export function person(n: number): { idNumber: string; birth: string; gender: 'male' | 'female' } {
  const gender = n % 2 ? 'male' : 'female';
  const dayIndex = n % 12000;
  const rest = Math.floor(n / 12000);
  const birth = new Date(Date.UTC(1966, 0, 1) + dayIndex * 86400000).toISOString().slice(0, 10);
  const body = `${440100 + Math.floor(rest / 100)}${birth.replace(/-/g, '')}${String(rest % 100).padStart(2, '0')}${gender === 'male' ? 1 : 2}`;
  return { idNumber: body + residentCheckChar(body), birth, gender };
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '建国伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬燕彬鑫堃喆赟珺龑昊宇浩然子轩梓涵欣怡思远';

export function nameOf(n: number): string {
  const s = SURNAMES[n % SURNAMES.length];
  const g1 = GIVEN[Math.floor(n / SURNAMES.length) % GIVEN.length];
  const g2 = GIVEN[Math.floor(n / 7) % GIVEN.length];
  return n % 3 ? s + g1 + g2 : s + g1;
}

/**
 * A large, valid file: `units` units, `people` people spread over them, one certificate each
 * (every third person a second one), dates as text and as Excel dates.
 */
export function bigFile(units: number, people: number, org = '示例市建设监理行业协会'): LegacyFile {
  const f: LegacyFile = { units: [], people: [], certs: [] };
  for (let u = 0; u < units; u++) {
    f.units.push({ 单位名称: `导入测试监理公司${u}`, 统一社会信用代码: creditCode(u), 是否会员: u % 2 ? '是' : '否', 会籍有效期: u % 2 ? '2030-12-31' : '', 初审机构: org });
  }
  let certNo = 0;
  for (let n = 0; n < people; n++) {
    const p = person(n);
    f.people.push({
      姓名: nameOf(n),
      性别: p.gender === 'male' ? '男' : '女',
      身份证号: p.idNumber,
      手机号码: `139${String(n).padStart(8, '0')}`,
      工作单位: `导入测试监理公司${n % units}`,
      学历: ['大专', '本科', '硕士'][n % 3],
      毕业院校: '示例理工大学',
      所学专业: '土木工程',
      毕业时间: n % 2 ? '2008-07-01' : new Date(Date.UTC(2008, 6, 1)),
      职称: ['助理工程师', '工程师', '高级工程师'][n % 3],
      普通会籍有效期: '2029-03-11',
      专业会籍有效期: n % 5 === 0 ? '2027-01-01' : '',
      入会日期: '2026-03-11',
    });
    const certs = n % 3 === 0 ? 2 : 1;
    for (let k = 0; k < certs; k++) {
      certNo++;
      f.certs.push({
        证书编号: `LG${String(certNo).padStart(8, '0')}`,
        身份证号: p.idNumber,
        证书类型: k === 0 ? '监理员' : '安全监理员',
        专业1: '房屋建筑工程',
        专业2: k ? '' : '市政公用工程',
        初次发证日期: n % 2 ? '2024-05-01' : new Date(Date.UTC(2024, 4, 1)),
        上次换证日期: '',
        证书有效期: '2027-05-01',
        证书状态: '有效',
      });
    }
  }
  return f;
}
