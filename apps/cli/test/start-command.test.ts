import { strict as assert } from 'node:assert';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, dropDatabase, freePort, type TestDatabase } from '@vanban/db';
import { HubClient } from '@vanban/exchange';
import { CertificateAuthority, signPdf } from '@vanban/pki';
import { PDFDocument } from 'pdf-lib';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const UBND = '000.00.00.H99';

interface Started {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  officeUrl: string;
}

/** `vanban start` as a user runs it, until it says it is running. */
function start(data: string, databaseUrl: string, caUrl: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(ROOT, 'apps', 'cli', 'src', 'main.ts'),
      'start',
      '--data',
      data,
      '--port',
      '0',
      '--hub-port',
      '0',
      '--national-hub-port',
      '0',
      '--ca-url',
      caUrl,
    ],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl } },
  );
  let out = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const running = /vanban is running at (http:\/\/\S+)/.exec(out);
      if (running && out.includes('Press Ctrl-C')) resolve({ child, output: () => out, officeUrl: running[1]! });
    });
    child.once('exit', (code) => reject(new Error(`vanban start exited ${code}:\n${out}`)));
  });
}

function stop(started: Started): Promise<number | string> {
  return new Promise((resolve) => {
    started.child.removeAllListeners('exit');
    started.child.once('exit', (code, signal) => resolve(code ?? `killed by ${signal}`));
    started.child.kill('SIGINT');
  });
}

async function login(officeUrl: string, username: string): Promise<string> {
  const res = await fetch(`${officeUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'VanBan@2026' }),
  });
  assert.equal(res.status, 200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

describe('vanban start', () => {
  let testDb: TestDatabase;
  const data = mkdtempSync(join(tmpdir(), 'vanban-start-'));
  let caUrl: string;

  before(async () => {
    testDb = await createTestDatabase();
    caUrl = `http://127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    const name = new URL(testDb.url).pathname.slice(1);
    for (const hub of ['hub', 'hub_national']) await dropDatabase(process.env.VANBAN_TEST_ADMIN_URL!, `${name}_${hub}`);
    await testDb.drop();
  });

  it('starts the CA service and the office, gives every demo agency and leader a certificate, and checks signatures with them', async () => {
    const started = await start(data, testDb.url, caUrl);
    try {
      assert.match(started.output(), /Certificates issued: 129 agencies, 129 signers\./);
      assert.match(started.output(), new RegExp(`OCSP and timestamps at ${caUrl}`));
      const crl = await fetch(`${caUrl}/crl/issuing.crl`);
      assert.equal(crl.status, 200);

      const cookie = await login(started.officeUrl, 'qt.ubnd');
      const agencies = (await (await fetch(`${started.officeUrl}/api/agencies?q=${UBND}`, { headers: { cookie } })).json()) as {
        items: { id: string; code: string }[];
      };
      const ubnd = agencies.items.find((a) => a.code === UBND)!;
      const credentials = (await (
        await fetch(`${started.officeUrl}/api/agencies/${ubnd.id}/credentials`, { headers: { cookie } })
      ).json()) as {
        items: { kind: string; agencyCode: string | null }[];
      };
      assert.equal(credentials.items[0]!.agencyCode, UBND);

      // A PDF signed with the agency's key on file, checked by the office against the CA it runs, OCSP included.
      const ca = await CertificateAuthority.open(join(data, 'ca'));
      const blank = await PDFDocument.create();
      blank.addPage();
      const signed = await signPdf(await blank.save(), { key: await ca.signingKey(`agency-${UBND}`), role: 'agency' });
      const form = new FormData();
      form.append('file', new Blob([signed], { type: 'application/pdf' }), 'cv.pdf');
      const report = (await (
        await fetch(`${started.officeUrl}/api/verifications`, { method: 'POST', body: form, headers: { cookie } })
      ).json()) as {
        verdict: string;
        signatures: { revocation: { status: string; source: string } }[];
      };
      assert.equal(report.verdict, 'valid', JSON.stringify(report));
      assert.deepEqual((({ status, source }) => ({ status, source }))(report.signatures[0]!.revocation), {
        status: 'good',
        source: 'ocsp',
      });

      // The provincial hub knows the office's agencies and takes the office's certificate; the national hub is up.
      const hubs = /provincial \S+ at (https:\/\/\S+),\s+national \S+ at (https:\/\/\S+);/.exec(started.output());
      assert.ok(hubs, started.output());
      const issued = (name: string) => readFileSync(join(data, 'ca', 'issued', name), 'utf8');
      const caPem = ca.caPem();
      const asOffice = new HubClient({
        url: hubs[1]!.replace(/,$/, ''),
        tls: { key: issued('office-hub-client.key.pem'), cert: issued('office-hub-client.crt.pem'), ca: caPem },
      });
      try {
        const directory = await asOffice.directory();
        assert.equal(directory.agencies.length, 129);
        assert.ok(directory.agencies.some((a) => a.code === UBND));
      } finally {
        await asOffice.close();
      }
      assert.equal((await fetch(`${caUrl}/crl/issuing.crl`)).status, 200);
    } finally {
      assert.equal(await stop(started), 0, started.output());
    }
    assert.match(started.output(), /Stopped\./);
  });

  it('starts again on the same data without issuing anything twice', async () => {
    const again = await start(data, testDb.url, caUrl);
    try {
      assert.doesNotMatch(again.output(), /Certificates issued|Demo province created/);
    } finally {
      assert.equal(await stop(again), 0, again.output());
    }
  });
});
