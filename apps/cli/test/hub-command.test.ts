import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BlobStore, connect, createTestDatabase, type TestDatabase } from '@vanban/db';
import { CertificateAuthority, type Issued } from '@vanban/pki';

const ROOT = join(import.meta.dirname, '..', '..', '..');

/** `vanban hub ...` as an operator runs it, on the test's database. */
function vanbanHub(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'hub', ...args, '--database', databaseUrl],
    // A command that should have ended is ended, its code null: the test fails without waiting for good.
    { cwd: ROOT, timeout: 60_000, killSignal: 'SIGKILL' },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, out: signal ? `${out}\n(still running after 60 s: killed)` : out })),
  );
}

describe('vanban hub', () => {
  let testDb: TestDatabase;
  let office: Issued;
  let ca: CertificateAuthority;
  const dir = mkdtempSync(join(tmpdir(), 'vanban-hub-cli-'));

  before(async () => {
    testDb = await createTestDatabase();
    ca = await CertificateAuthority.create(join(dir, 'ca'), { name: 'Hub CLI Test', baseUrl: 'http://ca.test' });
    office = await ca.issue({ name: 'office', profile: 'tls-client', subject: { commonName: 'office' } });
  });
  after(async () => {
    await testDb?.drop();
  });

  it('registers a system from its certificate file, imports its agencies from CSV and lists them', async () => {
    const add = await vanbanHub(
      testDb.url,
      'system',
      'add',
      'office-h99',
      '--name',
      'Văn phòng điện tử tỉnh',
      '--cert',
      office.certificateFile,
    );
    assert.equal(add.code, 0, add.out);
    const csv = join(dir, 'agencies.csv');
    writeFileSync(csv, '\uFEFFcode,name\n000.00.00.H99,UBND tỉnh Bình An\n000.00.04.H99,Sở Tài chính\n');
    const imported = await vanbanHub(testDb.url, 'agency', 'import', 'office-h99', csv);
    assert.equal(imported.code, 0, imported.out);
    assert.match(imported.out, /2 agencies/);
    const list = await vanbanHub(testDb.url, 'system', 'list');
    assert.match(list.out, /office-h99/);
    assert.match(list.out, /│\s+2\s+│/, 'two agencies');
    const bad = await vanbanHub(testDb.url, 'agency', 'add', 'office-h99', 'H99', 'Sai mã');
    assert.equal(bad.code, 1);
    assert.match(bad.out, /Invalid agency codes: H99/);
  });

  it('moves a system to a new certificate, keeping the old one the days asked, and refuses days it cannot keep', async () => {
    const renewed = await ca.issue({ name: 'office-renewed', profile: 'tls-client', subject: { commonName: 'office' } });
    const args = ['system', 'add', 'office-h99', '--name', 'Văn phòng điện tử tỉnh', '--cert', renewed.certificateFile];
    const tooLong = await vanbanHub(testDb.url, ...args, '--keep-old-days', '91');
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.out, /1 to 90/);
    const zero = await vanbanHub(testDb.url, ...args, '--keep-old-days', '0');
    assert.equal(zero.code, 1);
    assert.match(zero.out, /--keep-old-days takes a whole number of days/);
    const moved = await vanbanHub(testDb.url, ...args, '--keep-old-days', '7');
    assert.equal(moved.code, 0, moved.out);
    const database = connect(testDb.url, { max: 1 });
    try {
      const { rows } = await database.pool.query<{ previous: string; days: number }>(
        `SELECT previous_cert_sha256 AS previous, extract(epoch FROM previous_cert_until - now()) / 86400 AS days FROM systems WHERE id = 'office-h99'`,
      );
      assert.equal(rows[0]!.previous, createHash('sha256').update(Buffer.from(office.certificate.rawData)).digest('hex'));
      assert.ok(rows[0]!.days > 6.9 && rows[0]!.days <= 7);
    } finally {
      await database.close();
    }
  });

  it('removes agencies merged or dissolved, and says which codes it did not know', async () => {
    const removed = await vanbanHub(testDb.url, 'agency', 'remove', '000.00.04.H99');
    assert.equal(removed.code, 0, removed.out);
    assert.match(removed.out, /Agency 000\.00\.04\.H99 removed/);
    assert.match((await vanbanHub(testDb.url, 'system', 'list')).out, /│\s+1\s+│/, 'one agency left');
    const unknown = await vanbanHub(testDb.url, 'agency', 'remove', '000.00.04.H99');
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /No agency 000\.00\.04\.H99/);
  });

  it('adds peers and routes, refusing a pattern that is not one', async () => {
    const peer = await vanbanHub(
      testDb.url,
      'peer',
      'add',
      'national',
      '--name',
      'Trục quốc gia',
      '--code',
      '000.00.00.G01',
      '--url',
      'https://127.0.0.1:1/',
      '--sha256',
      'ab'.repeat(32),
    );
    assert.equal(peer.code, 0, peer.out);
    assert.equal((await vanbanHub(testDb.url, 'route', 'add', '*', 'national')).code, 0);
    const wrong = await vanbanHub(testDb.url, 'route', 'add', 'H44', 'national');
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /\*\.H44/);
    assert.match((await vanbanHub(testDb.url, 'peer', 'list')).out, /national.*\*/s);
  });

  it('verifies the journal, and finds an entry edited or deleted behind its back', async () => {
    const database = connect(testDb.url, { max: 1 });
    try {
      const { appendEntry, withTransaction } = await import('@vanban/db');
      for (let n = 1; n <= 3; n++) {
        await withTransaction(database.pool, (client) =>
          appendEntry(client, 'hub_journal', 'hub', { event: 'accepted', packageId: `p${n}` }),
        );
      }
      const whole = await vanbanHub(testDb.url, 'journal', 'verify');
      assert.equal(whole.code, 0, whole.out);
      assert.match(whole.out, /3 entries and its chain is whole/);
      await database.pool.query(`UPDATE hub_journal SET body = '{"event":"accepted","packageId":"forged"}' WHERE seq = 2`);
      const edited = await vanbanHub(testDb.url, 'journal', 'verify');
      assert.equal(edited.code, 1);
      assert.match(edited.out, /break/);
      await database.pool.query(`UPDATE hub_journal SET body = '{"event":"accepted","packageId":"p2"}' WHERE seq = 2`);
      assert.equal((await vanbanHub(testDb.url, 'journal', 'verify')).code, 0, 'restored');
      await database.pool.query(`DELETE FROM hub_journal WHERE seq = 2`);
      const deleted = await vanbanHub(testDb.url, 'journal', 'verify');
      assert.equal(deleted.code, 1, deleted.out);
    } finally {
      await database.close();
    }
  });

  it('refuses to serve with a number of check threads it cannot use', async () => {
    for (const threads of ['0', '65', '2.5', 'many']) {
      const wrong = await vanbanHub(testDb.url, 'serve', '--code', '000.00.00.G99', '--check-threads', threads);
      assert.equal(wrong.code, 1, wrong.out);
      assert.match(wrong.out, new RegExp(`--check-threads takes a whole number of threads, at least 1 and at most 64, not ${threads}`));
    }
  });

  it('says what is wrong with its TLS key and exits, rather than staying half-started', async () => {
    const server = await ca.issue({
      name: 'hub-server',
      profile: 'tls-server',
      subject: { commonName: 'hub' },
      ipAddresses: ['127.0.0.1'],
    });
    const root = join(dir, 'ca', 'root.crt.pem');
    const started = vanbanHub(
      testDb.url,
      'serve',
      '--code',
      '000.00.00.G99',
      '--port',
      '0',
      '--blobs',
      join(dir, 'serve-blobs'),
      // A certificate where the key should be: an operator's slip.
      '--tls-key',
      server.certificateFile,
      '--tls-cert',
      server.certificateFile,
      '--tls-ca',
      root,
      '--client-key',
      office.keyFile,
      '--client-cert',
      office.certificateFile,
      '--trust',
      root,
    );
    const exited = await started;
    assert.equal(exited.code, 1, exited.out);
    assert.match(exited.out, /--tls-key and --tls-cert are not a private key and its certificate/);
    assert.doesNotMatch(exited.out, /TypeError|at /, 'an operator is told what is wrong, with no stack trace');
  });

  it('purges the bytes of packages every recipient acknowledged more than the days given ago', async () => {
    const blobs = new BlobStore(join(dir, 'hub-blobs'));
    const database = connect(testDb.url, { max: 1 });
    try {
      const old = async (n: number, state: string) => {
        const { sha256 } = await blobs.put(`package ${n}`);
        const id = String(n).repeat(64);
        await database.pool.query(
          `INSERT INTO packages (id, kind, document_id, from_code, received_from, size, blob_sha256, received_at)
           VALUES ($1, 'document', $2, '000.00.00.H99', 'system:office-h99', 9, $3, now() - interval '40 days')`,
          [id, `doc-${n}`, sha256],
        );
        await database.pool.query(
          `INSERT INTO deliveries (package_id, recipient_code, target_kind, target_id, state) VALUES ($1, '000.00.04.H99', 'system', 'office-h99', $2)`,
          [id, state],
        );
        return sha256;
      };
      const delivered = await old(1, 'acknowledged');
      const owed = await old(2, 'pending');

      const wrong = await vanbanHub(testDb.url, 'purge', '--older-than', '0');
      assert.equal(wrong.code, 1);
      assert.match(wrong.out, /--older-than takes a whole number of days/);
      assert.equal(
        (await vanbanHub(testDb.url, 'purge', '--older-than', '41', '--blobs', blobs.root)).out.match(/of (\d+) packages/)?.[1],
        '0',
      );
      const purged = await vanbanHub(testDb.url, 'purge', '--older-than', '30', '--blobs', blobs.root);
      assert.equal(purged.code, 0, purged.out);
      assert.match(purged.out, /Removed the bytes of 1 packages/);
      assert.equal(await blobs.has(delivered), false);
      assert.equal(await blobs.has(owed), true, 'a package still owed keeps its bytes');
    } finally {
      await database.close();
    }
  });
});
