import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(ROOT, 'packages', 'edxml', 'test', 'fixtures');

function vanban(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps', 'cli', 'src', 'main.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('vanban edxml', () => {
  it('validate: exit 0 for a valid package, with its warnings', () => {
    const r = vanban('edxml', 'validate', join(FIXTURES, 'vendor-default-namespace.xml'));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /hợp lệ \/ valid/);
    assert.match(r.out, /không có chữ ký XML/);
  });

  it('validate --json: exit 1 and every problem with its path and rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'edxml-cli-'));
    const file = join(dir, 'bad.xml');
    writeFileSync(file, '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016"><edXMLEnvelope/></edXML>');
    const r = vanban('edxml', 'validate', file, '--json');
    assert.equal(r.code, 1);
    const report = JSON.parse(r.out) as { valid: boolean; problems: { path: string; rule: string; vi: string; en: string }[] };
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.problems.map((p) => [p.path, p.rule]),
      [['/edXML/edXMLEnvelope', 'schema']],
    );
  });

  it('inspect --json: header, manifest and attachments with size and SHA-256', () => {
    const r = vanban('edxml', 'inspect', join(FIXTURES, 'vendor-iso-cdata.xml'), '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as {
      kind: string;
      header: { subject: string };
      attachments: { name: string; type: string; size: number; sha256: string }[];
    };
    assert.equal(report.kind, 'package');
    assert.equal(report.header.subject, 'Báo cáo tình hình dịch bệnh tuần 47');
    assert.deepEqual(
      report.attachments.map((a) => [a.name, a.type, a.size, a.sha256.length]),
      [['bao-cao.pdf', 'application/pdf', 312, 64]],
    );
  });

  it('exit 2 when the file cannot be read', () => {
    const r = vanban('edxml', 'validate', join(FIXTURES, 'no-such-file.xml'));
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read the file/);
  });
});
