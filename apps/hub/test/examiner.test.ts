import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_LIMITS, buildPackageBytes, buildStatus } from '@vanban/edxml';
import { SAMPLE_FILES, digest, samplePackage, sampleStatus } from '@vanban/edxml/testing';
import { CertificateAuthority, reasonsOf, signEdxml, type FileVerification, type RevocationFetcher } from '@vanban/pki';
import { ExaminerStoppedError, PackageExaminer } from '../src/examiner.js';
import { runProgram } from './program.js';

const UBND = '000.00.00.H99';

function verdictOf(verification: FileVerification | 'unknown-file' | null): string {
  assert.ok(verification && verification !== 'unknown-file', 'the package was verified');
  return verification.verdict;
}

describe('the package examiner: worker threads that read and verify what the hub is sent', () => {
  const folder = mkdtempSync(join(tmpdir(), 'vanban-examiner-'));
  let ca: CertificateAuthority;
  let examiner: PackageExaminer;
  const asked: string[] = [];
  let signedBy: (name: string) => Promise<Buffer>;

  before(async () => {
    ca = await CertificateAuthority.create(join(folder, 'ca'), { name: 'vanban Examiner Test', baseUrl: 'http://ca.test' });
    for (const name of ['ubnd', 'former']) {
      await ca.issue({ name, profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    }
    await ca.revoke('former', 'keyCompromise');
    const fetcher = ca.fetcher();
    // The CA answers in this thread only: the threads can reach it only through the hub's fetcher.
    const counting: RevocationFetcher = {
      ocsp: (url, request) => (asked.push(url), fetcher.ocsp(url, request)),
      crl: (url) => (asked.push(url), fetcher.crl(url)),
    };
    examiner = await PackageExaminer.start({ trust: ca.trustList(), revocation: counting, limits: DEFAULT_LIMITS, threads: 1 });
    const unsigned = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signedBy = async (name) => Buffer.from(await signEdxml(unsigned, await ca.signingKey(name)));
  });
  after(async () => {
    await examiner?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('names a package by the SHA-256 of its bytes, reads it and finds its signature valid, asking the hub for revocation', async () => {
    const bytes = await signedBy('ubnd');
    const examined = await examiner.examine(bytes);
    assert.equal(examined.id, createHash('sha256').update(bytes).digest('hex'));
    assert.ok(examined.read.ok && examined.read.kind === 'package');
    assert.equal(examined.read.package.from.agencyCode, UBND);
    assert.equal(verdictOf(examined.verification), 'valid');
    assert.ok(asked.length > 0, 'the revocation status came through the hub’s fetcher');
  });

  it('reads a package the server hands over in shared memory, which the thread reads where it is', async () => {
    const bytes = await signedBy('ubnd');
    const shared = Buffer.from(new SharedArrayBuffer(bytes.length));
    bytes.copy(shared);
    const examined = await examiner.examine(shared);
    assert.equal(examined.id, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(verdictOf(examined.verification), 'valid');
  });

  it('checks four steps of nice below the main thread, so that deliveries go first when the cores are full', async () => {
    // In a process started with nice 5, as an operator may start the hub; Linux keeps a nice value
    // per thread: field 19 of /proc/self/task/TID/stat, counted after the name.
    const src = join(import.meta.dirname, '..', 'src');
    const { code, stdout, stderr } = await runProgram(
      `import { readdirSync, readFileSync } from 'node:fs';
      import { DEFAULT_LIMITS } from ${JSON.stringify(join(src, '..', '..', '..', 'packages', 'edxml', 'src', 'index.ts'))};
      import { PackageExaminer } from ${JSON.stringify(join(src, 'examiner.ts'))};
      const none = async () => { throw new Error('no revocation source'); };
      const examiner = await PackageExaminer.start({ trust: { anchors: [] }, revocation: { ocsp: none, crl: none }, limits: DEFAULT_LIMITS, threads: 1 });
      const niceOf = (tid) => Number(readFileSync('/proc/self/task/' + tid + '/stat', 'utf8').split(') ')[1].split(' ')[16]);
      console.log(JSON.stringify(readdirSync('/proc/self/task').map(niceOf)));
      await examiner.close();`,
      { nice: 5 },
    );
    assert.equal(code, 0, `${stdout}${stderr}`);
    const nice = JSON.parse(stdout) as number[];
    assert.deepEqual(
      nice.filter((n) => n !== 5),
      [9],
      `the examiner's one thread at 9, every other thread at the process's 5: ${stdout}`,
    );
  });

  it('finds a revoked signer’s signature invalid, as the hub did on its own thread', async () => {
    const examined = await examiner.examine(await signedBy('former'));
    assert.equal(verdictOf(examined.verification), 'invalid');
    assert.ok(
      reasonsOf(examined.verification as FileVerification).some((f) => f.code === 'revoked'),
      JSON.stringify(reasonsOf(examined.verification as FileVerification)),
    );
  });

  it('reads a status message without verifying it, and reports bytes that are not edXML as problems', async () => {
    const status = await examiner.examine(await buildStatus(sampleStatus()));
    assert.ok(status.read.ok && status.read.kind === 'status');
    assert.equal(status.verification, null);
    const junk = await examiner.examine(Buffer.from('not a package'));
    assert.equal(junk.read.ok, false);
    assert.equal(junk.verification, null);
  });

  it('answers 503 when its thread dies holding a package, and checks the next one with the thread put in its place', async () => {
    const appendix = Buffer.alloc(8 * 1024 * 1024, 'a');
    const large = samplePackage();
    large.attachments = large.attachments.map((a) => (a.contentId === 'pl1.txt' ? digest('pl1.txt', appendix) : a));
    const big = await buildPackageBytes(large, new Map([...SAMPLE_FILES, ['pl1.txt', appendix]]), 'none');
    const held = examiner.examine(big);
    await Promise.all(examiner.threads.map((thread) => thread.terminate()));
    await assert.rejects(held, (error: unknown) => {
      assert.ok(error instanceof ExaminerStoppedError, String(error));
      assert.equal(error.statusCode, 503);
      assert.match(error.message, /stopped .*send it again/);
      return true;
    });
    assert.equal(verdictOf((await examiner.examine(await signedBy('ubnd'))).verification), 'valid');
  });
});
