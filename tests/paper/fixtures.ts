/** Shared by the paper-form tests: the filled data of every kind, and reading PDFs back. */
import { execFileSync } from 'child_process';
import { join } from 'path';
import type { PaperData, PaperKind } from '../../cloudfunctions/forms/paper/render';

export const ASSOCIATION = '示例省建设监理协会';
/** Fixed, so a render is byte-identical. */
export const CREATED_AT = new Date('2025-03-01T02:00:00Z');

export const PERSON = {
  // 堃 (U+5803) is rare in names but in the font: it must print.
  name: '欧阳堃',
  gender: 'male',
  idNumber: '11010119900307123X',
  phone: '13800138000',
  email: 'ouyang.kun@example.com',
  position: '总监理工程师代表',
  title: '高级工程师',
  specialty: '房屋建筑工程',
  education: '本科',
  address: '广东省广州市天河区示例大道中123号示例大厦18楼',
};
export const CERT = {
  type: '专业监理工程师',
  no: 'GDJL2021000123',
  issuedOn: '2021-03-05',
  validUntil: '2027-03-04',
  specialties: ['房屋建筑工程', '市政公用工程'],
};
export const UNIT = {
  name: '示例监理有限公司',
  creditCode: '91440101MA5D7XKX1K',
  legalRep: '张三',
  contactName: '李四',
  contactPhone: '020-12345678',
  address: '广东省广州市越秀区示例路1号',
  email: 'office@example.com',
  postcode: '510000',
  foundedOn: '2005-06-01',
  qualification: '工程监理综合资质',
  staff: 356,
  engineers: 48,
  org: '示例市建设监理行业协会',
  intro: '本公司成立于2005年，主要从事房屋建筑、市政公用工程监理及项目管理咨询服务。',
};

const common = { association: ASSOCIATION, formNo: 'ZSBG-2025000123', createdAt: CREATED_AT };

/** Each kind filled, and the values that must then be found in the PDF's text. */
export const FILLED: { [K in PaperKind]: { data: PaperData[K]; values: string[] } } = {
  'renewal-application': {
    data: { ...common, person: PERSON, cert: CERT, unit: UNIT.name },
    values: [
      PERSON.name,
      '男',
      PERSON.idNumber,
      PERSON.phone,
      PERSON.email,
      PERSON.position,
      PERSON.title,
      PERSON.specialty,
      CERT.type,
      CERT.no,
      '2021年3月5日',
      '2027年3月4日',
      UNIT.name,
      PERSON.address,
    ],
  },
  'change-application': {
    data: { ...common, person: PERSON, cert: CERT, fromUnit: '示例工程咨询有限公司', toUnit: UNIT.name },
    values: [
      PERSON.name,
      '男',
      PERSON.idNumber,
      PERSON.phone,
      PERSON.email,
      PERSON.position,
      PERSON.title,
      PERSON.specialty,
      CERT.no,
      '2021年3月5日',
      '示例工程咨询有限公司',
      UNIT.name,
      PERSON.address,
    ],
  },
  'business-application': {
    data: {
      ...common,
      business: '证书变更（单位名称）',
      person: PERSON,
      cert: CERT,
      unit: UNIT,
      details: '新单位入职：由示例工程咨询有限公司变更至示例监理有限公司。',
    },
    values: [
      '证书变更（单位名称）申请表',
      PERSON.name,
      PERSON.idNumber,
      PERSON.education,
      CERT.type,
      CERT.no,
      '房屋建筑工程、市政公用工程',
      UNIT.name,
      UNIT.creditCode,
      PERSON.address,
      '新单位入职：由示例工程咨询有限公司变更至示例监理有限公司。',
    ],
  },
  commitment: {
    data: {
      ...common,
      business: '普通会员继续教育',
      unit: UNIT,
      people: [
        { name: PERSON.name, idNumber: PERSON.idNumber, certNo: CERT.no },
        { name: '王五', idNumber: '440101198805051234', certNo: 'GDJL2019000456' },
      ],
    },
    values: [
      UNIT.name,
      UNIT.creditCode,
      '普通会员继续教育',
      PERSON.name,
      PERSON.idNumber,
      CERT.no,
      '王五',
      '440101198805051234',
      'GDJL2019000456',
    ],
  },
  'cancellation-application': {
    data: { ...common, person: PERSON, cert: CERT, unit: UNIT.name, reason: '本人已退休，不再从事监理工作。' },
    values: [
      PERSON.name,
      PERSON.idNumber,
      CERT.type,
      CERT.no,
      '2021年3月5日',
      '2027年3月4日',
      UNIT.name,
      '本人已退休，不再从事监理工作。',
    ],
  },
  'unit-membership-application': {
    data: { ...common, unit: UNIT },
    values: [
      UNIT.name,
      UNIT.creditCode,
      '2005年6月1日',
      UNIT.legalRep,
      UNIT.qualification,
      '356',
      '48',
      UNIT.contactName,
      UNIT.contactPhone,
      UNIT.email,
      UNIT.postcode,
      UNIT.address,
      UNIT.org,
      UNIT.intro,
    ],
  },
};

export interface ReadPdf {
  file: string;
  pages: { width: number; height: number; text: string }[];
  fonts: { name: string; embedded: boolean; type?: string }[];
  info: Record<string, unknown>;
}

/** Read PDFs back with pdf.js (ESM-only, so in a child process: tests/paper/read-pdf.mjs). */
export function readPdfs(files: string[]): ReadPdf[] {
  const out = execFileSync(process.execPath, [join(__dirname, 'read-pdf.mjs'), ...files], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as ReadPdf[];
}

/** Text without any whitespace: pdf.js splits and spaces CJK runs its own way. */
export const squash = (s: string) => s.replace(/\s+/gu, '');
