import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { FolderNames, formatManifest, safeName } from '../src/dossiers/package-layout.js';
import {
  addYears,
  appraisalDue,
  codeForYear,
  dossierActions,
  extendedKeepUntil,
  keptUntilYear,
  nextState,
  transferDeadline,
  transferReminderFor,
  transferWarningFrom,
} from '../src/dossiers/rules.js';
import { zipWithManifest, type PackageEntry } from '../src/dossiers/zip-stream.js';

const KEEPER = { keeper: true, archivist: false, appraiser: false };
const CLERK = { keeper: false, archivist: true, appraiser: false };
const LEADER = { keeper: false, archivist: false, appraiser: true };

describe('a dossier’s states', () => {
  it('is filed into, emptied and closed by its keeper only while open', () => {
    assert.deepEqual(dossierActions('open', KEEPER, false), ['file', 'remove', 'close']);
    assert.deepEqual(dossierActions('open', CLERK, false), []);
    assert.deepEqual(dossierActions('open', LEADER, false), []);
  });
  it('once closed, is reopened by its keeper or the clerk and transferred by the clerk alone', () => {
    assert.deepEqual(dossierActions('closed', KEEPER, false), ['reopen']);
    assert.deepEqual(dossierActions('closed', CLERK, false), ['reopen', 'transfer']);
    assert.deepEqual(dossierActions('closed', LEADER, false), []);
  });
  it('once transferred, can only be appraised by the agency leader, and only when its retention has run out', () => {
    assert.deepEqual(dossierActions('transferred', KEEPER, true), []);
    assert.deepEqual(dossierActions('transferred', LEADER, false), []);
    assert.deepEqual(dossierActions('transferred', LEADER, true), ['appraise']);
    assert.deepEqual(dossierActions('destroyed', { keeper: true, archivist: true, appraiser: true }, true), []);
  });
  it('moves open → closed → transferred → destroyed, and closed back to open; nothing else', () => {
    assert.equal(nextState('open', 'close'), 'closed');
    assert.equal(nextState('closed', 'reopen'), 'open');
    assert.equal(nextState('closed', 'transfer'), 'transferred');
    assert.equal(nextState('transferred', 'destroy'), 'destroyed');
    assert.throws(() => nextState('transferred', 'reopen'), RangeError);
    assert.throws(() => nextState('open', 'transfer'), RangeError);
    assert.throws(() => nextState('closed', 'destroy'), RangeError);
  });
});

describe('the transfer deadline and its reminders', () => {
  it('is one year after closing, 29 February falling on 28 February', () => {
    assert.equal(transferDeadline('2026-03-15'), '2027-03-15');
    assert.equal(transferDeadline('2028-02-29'), '2029-02-28');
    assert.equal(addYears('2027-02-28', 1), '2028-02-28');
  });
  it('warns from a month before the deadline, the last day of a shorter month standing in', () => {
    assert.equal(transferWarningFrom('2026-03-15'), '2027-02-15');
    assert.equal(transferWarningFrom('2026-03-31'), '2027-02-28');
    assert.equal(transferWarningFrom('2026-01-10'), '2026-12-10');
  });
  it('gives nothing before the warning, "soon" up to the deadline day, "overdue" after it', () => {
    assert.equal(transferReminderFor('2026-03-15', '2027-02-14'), null);
    assert.equal(transferReminderFor('2026-03-15', '2027-02-15'), 'transfer_soon');
    assert.equal(transferReminderFor('2026-03-15', '2027-03-15'), 'transfer_soon');
    assert.equal(transferReminderFor('2026-03-15', '2027-03-16'), 'transfer_overdue');
  });
});

describe('retention and appraisal', () => {
  it('keeps a dossier to the end of its closing year plus its retention; a permanent one forever', () => {
    assert.equal(keptUntilYear('2026-06-30', 10), 2036);
    assert.equal(keptUntilYear('2026-06-30', null), null);
  });
  it('is due for appraisal from the first day after the last year kept, never when permanent', () => {
    assert.equal(appraisalDue(2036, '2036-12-31'), false);
    assert.equal(appraisalDue(2036, '2037-01-01'), true);
    assert.equal(appraisalDue(null, '2999-01-01'), false);
  });
  it('keeps longer from the year of the decision, never shortening what was set', () => {
    assert.equal(extendedKeepUntil(2017, 5, '2026-12-01'), 2031);
    assert.equal(extendedKeepUntil(2040, 5, '2026-12-01'), 2045);
  });
  it('carries a plan entry’s code into the next year when it ends with the year', () => {
    assert.equal(codeForYear('01.VP.2025', 2025, 2026), '01.VP.2026');
    assert.equal(codeForYear('TC-05', 2025, 2026), 'TC-05');
    assert.equal(codeForYear('2025.01', 2025, 2026), '2025.01');
  });
});

describe('names inside the archive package', () => {
  it('are plain ASCII, Vietnamese letters folded, without folders, dots in front or spaces', () => {
    assert.equal(safeName('Quyết định số 12/QĐ-UBND.pdf'), 'Quyet-dinh-so-12-QD-UBND.pdf');
    assert.equal(safeName('../../etc/passwd'), 'etc-passwd');
    assert.equal(safeName('..\\..\\boot.ini'), 'boot.ini');
    assert.equal(safeName('.hidden'), 'tep.hidden');
    assert.equal(safeName('a\u0000b\nc.txt'), 'a-b-c.txt');
    assert.equal(safeName('Đơn đề nghị'), 'Don-de-nghi');
  });
  it('are never empty and at most 80 characters, keeping the extension', () => {
    assert.equal(safeName('???.pdf'), 'tep.pdf');
    assert.equal(safeName(''), 'tep');
    const long = safeName(`${'Báo cáo '.repeat(30)}.docx`);
    assert.ok(long.length <= 80, long);
    assert.ok(long.endsWith('.docx'), long);
  });
  it('are unique within a folder, whatever their case', () => {
    const names = new FolderNames();
    assert.equal(names.take('bao-cao.pdf'), 'bao-cao.pdf');
    assert.equal(names.take('Báo cáo.pdf'), 'Bao-cao-2.pdf');
    assert.equal(names.take('BAO-CAO.pdf'), 'BAO-CAO-3.pdf');
    assert.equal(names.take('bao-cao.pdf'), 'bao-cao-4.pdf');
  });
});

describe('the manifest', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  it('is written as sha256sum writes it: digest, two spaces, relative path, sorted', () => {
    assert.equal(
      formatManifest([
        { path: 'z/van-ban.json', sha256: a },
        { path: '01-HS/index.html', sha256: b },
      ]),
      `${b}  01-HS/index.html\n${a}  z/van-ban.json\n`,
    );
  });
  it('refuses a path that leaves the package or needs escaping, and a malformed digest', () => {
    assert.throws(() => formatManifest([{ path: '../x', sha256: a }]), RangeError);
    assert.throws(() => formatManifest([{ path: '/etc/x', sha256: a }]), RangeError);
    assert.throws(() => formatManifest([{ path: 'a b', sha256: a }]), RangeError);
    assert.throws(() => formatManifest([{ path: 'x', sha256: 'ABC' }]), RangeError);
  });
  it('comes last in the ZIP, naming every file before it with its digest', async () => {
    const big = Buffer.alloc(300_000, 7);
    async function* entries(): AsyncGenerator<PackageEntry> {
      yield { path: 'a.txt', content: Buffer.from('xin chào') };
      yield { path: 'd/big.bin', content: Readable.from([big.subarray(0, 100_000), big.subarray(100_000)]), compressed: true };
    }
    const zip = await buffer(zipWithManifest(entries(), new Date('2026-12-01T00:00:00Z')));
    const files = unzipSync(new Uint8Array(zip));
    assert.deepEqual(Object.keys(files), ['a.txt', 'd/big.bin', 'SHA256SUMS']);
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    assert.equal(Buffer.from(files['d/big.bin']!).equals(big), true);
    assert.equal(Buffer.from(files['SHA256SUMS']!).toString(), `${sha(files['a.txt']!)}  a.txt\n${sha(big)}  d/big.bin\n`);
  });
});
