/**
 * edXML parse + validate throughput and peak memory, side by side with `xmllint --schema`
 * (Debian's libxml2-utils) on the same files and the same XSD.
 * Usage: npx tsx bench/edxml.ts [--runs 5]   (at least; small files are run more often)
 * Medians; xmllint's times include starting the process and loading the schema, as a
 * validation from the command line does.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPackageBytes, readEdxml, SCHEMA_PATH, type EdxmlPackage } from '../packages/edxml/src/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, one: { type: 'string' } } });

async function parseOnce(file: string): Promise<void> {
  const result = await readEdxml(createReadStream(file, { highWaterMark: 256 * 1024 }), { declaredLength: statSync(file).size });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
}

if (values.one) {
  // Child mode: memory of one parse in a fresh process, after modules and the schema are loaded.
  await parseOnce(join(import.meta.dirname, '..', 'packages', 'edxml', 'test', 'fixtures', 'vendor-status.xml'));
  const baseline = process.memoryUsage().rss;
  await parseOnce(values.one);
  console.log(JSON.stringify({ baselineRss: baseline, maxRss: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
}

function pkg(attachment: Buffer): EdxmlPackage {
  return {
    from: { agencyCode: '000.00.00.H99', name: 'Ủy ban nhân dân tỉnh Bình An' },
    to: Array.from({ length: 20 }, (_, i) => ({ agencyCode: `000.00.${String(i + 1).padStart(2, '0')}.H99`, name: `Sở số ${i + 1}` })),
    documentId: '000.00.00.H99,2026/11/20,125/UBND-VP',
    number: '125',
    notation: 'UBND-VP',
    issueDate: '2026-11-20',
    documentTypeName: 'Công văn',
    subject: 'Về việc đo hiệu năng đọc gói tin',
    content: 'Nội dung '.repeat(200),
    urgency: 'normal',
    responseFor: [],
    traces: [{ agencyCode: '000.00.00.H99', at: '2026-11-20T15:04:05' }],
    signature: { kind: 'none' },
    manifest: [{ contentId: 'a1', contentType: 'application/pdf', name: 'van-ban.pdf' }],
    attachments: [
      { contentId: 'a1', size: attachment.length, sha256: createHash('sha256').update(attachment).digest('hex'), sniffed: 'other' },
    ],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const runs = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'vanban-bench-edxml-'));
const sizes: [string, number][] = [
  ['50 KB', 50 * 1024],
  ['1 MB', 1024 * 1024],
  ['20 MB', 20 * 1024 * 1024],
  // Not a goal of the issue: shows that memory follows the chunk size, not the attachment size.
  ['100 MB', 100 * 1024 * 1024],
];
console.log(`machine: ${cpus()[0]?.model} × ${cpus().length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`);
console.log(`xmllint: ${spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).stderr.split('\n')[0]}`);
console.log(
  '| package | file size | vanban parse+validate | xmllint --schema | vanban / xmllint (speed) | vanban peak RSS (delta over baseline) | xmllint peak RSS |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
try {
  for (const [label, target] of sizes) {
    // Base64 grows 4/3: pick the attachment so that the whole file is about the target size.
    const attachment = randomBytes(Math.max(1, Math.floor(((target - 6000) * 3) / 4)));
    const file = join(dir, `${label.replace(' ', '')}.xml`);
    writeFileSync(file, await buildPackageBytes(pkg(attachment), new Map([['a1', attachment]]), 'none'));
    const mb = statSync(file).size / 2 ** 20;

    // Small files get more runs, so each size measures about the same number of megabytes.
    const times = Math.min(200, Math.max(runs, Math.ceil((20 * 2 ** 20) / statSync(file).size)));
    for (let i = 0; i < 3; i++) await parseOnce(file);
    const ours: number[] = [];
    for (let i = 0; i < times; i++) {
      const t = process.hrtime.bigint();
      await parseOnce(file);
      ours.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    const theirs: number[] = [];
    let theirRss = 0;
    for (let i = 0; i < times; i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', 'xmllint', '--huge', '--noout', '--schema', SCHEMA_PATH, file], {
        encoding: 'utf8',
      });
      theirs.push(Number(process.hrtime.bigint() - t) / 1e9);
      if (!/validates/.test(r.stderr)) throw new Error(`xmllint: ${r.stderr}`);
      theirRss = Math.max(theirRss, Number(r.stderr.trim().split('\n').pop()) * 1024);
    }
    const child = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--one', file], { encoding: 'utf8' });
    const memory = JSON.parse(child.stdout.trim().split('\n').pop()!) as { baselineRss: number; maxRss: number };
    const ourSpeed = mb / median(ours);
    const theirSpeed = mb / median(theirs);
    console.log(
      `| ${label} | ${mb.toFixed(2)} MB | ${ourSpeed.toFixed(0)} MB/s (${(median(ours) * 1000).toFixed(1)} ms) | ${theirSpeed.toFixed(0)} MB/s (${(median(theirs) * 1000).toFixed(1)} ms) | ${(ourSpeed / theirSpeed).toFixed(2)}× | ${(memory.maxRss / 2 ** 20).toFixed(0)} MB (${((memory.maxRss - memory.baselineRss) / 2 ** 20).toFixed(0)} MB); largest attachment ${(attachment.length / 2 ** 20).toFixed(1)} MB | ${(theirRss / 2 ** 20).toFixed(0)} MB |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
