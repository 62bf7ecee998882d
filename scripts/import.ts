/**
 * `npm run import -- FILE.xlsx [options]`: load units, members and certificates from the old
 * system's Excel export (SPEC §5 "Legacy import file").
 *
 *   --dry-run            check every row and report; write nothing
 *   --data-dir DIR       the local data directory to write (default: DATA_DIR or .data); stop
 *                        `npm start` on it first
 *   --service-url URL    write through a running local server instead (its database URL with this start's
 *                        key, printed by `npm start`: http://127.0.0.1:8787/admin/<key>)
 *   --env ENV            write to a CloudBase environment: credentials from TCB_SECRET_ID /
 *                        TCB_SECRET_KEY, and MSP_SECRET must be the functions' secret
 *   --report FILE.csv    write every problem and warning (sheet, row, reason) to a CSV file
 *   --json               print the report as JSON on stdout (progress stays on stderr)
 *
 * Exit code: 0 all rows loaded, 2 finished with bad rows (reported, left out), 1 could not run.
 */
import { writeFileSync } from 'fs';
import { resolve } from 'path';
import { openTarget, TargetSpec } from './import/target';
import { FileProblem } from './import/read';
import { ImportReport, runImport } from './import/run';

interface Args {
  file: string;
  dryRun: boolean;
  json: boolean;
  report?: string;
  target: TargetSpec;
}

function parseArgs(argv: string[]): Args {
  let file = '';
  let dryRun = false;
  let json = false;
  let report: string | undefined;
  let dataDir = resolve(process.env.DATA_DIR || '.data');
  let serviceUrl = '';
  let env = '';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) throw new Error(`${a} 需要一个值`);
      return v;
    };
    if (a === '--dry-run') dryRun = true;
    else if (a === '--json') json = true;
    else if (a === '--report') report = value();
    else if (a === '--data-dir') dataDir = resolve(value());
    else if (a === '--service-url') serviceUrl = value();
    else if (a === '--env') env = value();
    else if (a === '--help' || a === '-h') throw new Error('help');
    else if (a.startsWith('--')) throw new Error(`不认识的选项：${a}`);
    else if (!file) file = resolve(a);
    else throw new Error(`多余的参数：${a}`);
  }
  if (!file) throw new Error('请给出要导入的 Excel 文件：npm run import -- 文件.xlsx');
  let target: TargetSpec = { kind: 'local', dataDir };
  if (env) {
    const secretId = process.env.TCB_SECRET_ID || process.env.TENCENTCLOUD_SECRETID || '';
    const secretKey = process.env.TCB_SECRET_KEY || process.env.TENCENTCLOUD_SECRETKEY || '';
    if (!secretId || !secretKey) throw new Error('导入到云开发环境需要 TCB_SECRET_ID 和 TCB_SECRET_KEY 环境变量');
    target = { kind: 'cloudbase', env, secretId, secretKey };
  } else if (serviceUrl) target = { kind: 'service', serviceUrl, dataDir };
  return { file, dryRun, json, report, target };
}

/** One status line on a terminal (rewritten in place), a line every few seconds otherwise. */
function progressPrinter() {
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  let last = 0;
  let lastPhase = '';
  return (phase: string, done: number, total?: number) => {
    const now = Date.now();
    const changed = phase !== lastPhase;
    if (!changed && now - last < (tty ? 100 : 3000) && done !== total) return;
    last = now;
    const line = `[${((now - t0) / 1000).toFixed(1)}s] ${phase} ${done.toLocaleString()}${total !== undefined ? ` / ${total.toLocaleString()}` : ''}`;
    // On a terminal each phase keeps its last line; within a phase the line is rewritten.
    if (tty) process.stderr.write(`${changed && lastPhase ? '\n' : '\r\x1b[K'}${line}`);
    else process.stderr.write(line + '\n');
    lastPhase = phase;
  };
}

function csv(rows: string[][]): string {
  return '\ufeff' + rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\n') + '\n';
}

function summary(r: ImportReport): string {
  const lines = [
    `${r.dryRun ? '试运行（--dry-run，未写入任何数据）' : '导入完成'}：${r.file}（${(r.ms / 1000).toFixed(1)} 秒）`,
    '',
    '| 表 | 行数 | 有误 | 新增 | 更新 | 未变 |',
    '|----|-----:|-----:|-----:|-----:|-----:|',
    ...(['单位', '人员', '证书'] as const).map((s) => {
      const c = r.sheets[s];
      return `| ${s} | ${c.rows} | ${c.bad} | ${c.inserted} | ${c.updated} | ${c.unchanged} |`;
    }),
  ];
  if (r.dryRun) lines.push('', '（试运行中“新增/更新”为将要写入的条数）');
  const show = (title: string, list: ImportReport['problems']) => {
    if (!list.length) return;
    lines.push('', `${title}（${list.length} 条）：`);
    for (const p of list.slice(0, 100)) lines.push(`  ${p.sheet} 第${p.row}行：${p.reason}`);
    if (list.length > 100) lines.push(`  ……另有 ${list.length - 100} 条，用 --report 文件.csv 导出全部`);
  };
  show('有误的行，未导入', r.problems);
  show('提醒', r.warnings);
  return lines.join('\n');
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    const msg = (e as Error).message;
    console.error(msg === 'help' ? '' : msg);
    console.error('用法：npm run import -- 文件.xlsx [--dry-run] [--data-dir 目录 | --service-url URL | --env 环境ID] [--report 文件.csv] [--json]');
    return 1;
  }
  const target = await openTarget(args.target);
  try {
    if (!args.json) console.error(`导入到：${target.describe}${args.dryRun ? '（试运行）' : ''}`);
    const report = await runImport({ file: args.file, db: target.db, dryRun: args.dryRun, progress: progressPrinter() });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (args.report) {
      const rows = [['表', '行号', '类别', '原因'], ...report.problems.map((p) => [p.sheet, String(p.row), '有误未导入', p.reason]), ...report.warnings.map((p) => [p.sheet, String(p.row), '提醒', p.reason])];
      writeFileSync(args.report, csv(rows));
    }
    console.log(args.json ? JSON.stringify(report) : summary(report));
    return report.problems.length ? 2 : 0;
  } finally {
    await target.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e instanceof FileProblem ? `文件有误：${e.message}` : `导入失败：${(e as Error).message || e}`);
    process.exit(1);
  });
