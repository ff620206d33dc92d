import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createTestDatabase, type Database, type TestDatabase } from '@vanban/db';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { CertificateAuthority, CertificateVerifier, RevocationChecker, verifyFile } from '@vanban/pki';
import { seedDemoCredentials } from '../src/demo/credentials.js';
import { seedDemoProvince } from '../src/demo/seed.js';
import { migrateOffice } from '../src/office.js';
import type { OfficeSchema } from '../src/schema.js';
import { insertCredential } from '../src/signing/credentials.js';
import { AgencySigningError, signPackageAsAgency, type FileKeyStore } from '../src/signing/agency-signing.js';

const UBND = '000.00.00.H99';
const STC = '000.00.04.H99';
const SYT = '000.00.09.H99';

describe('signing an edXML package as an agency', () => {
  let testDb: TestDatabase;
  let database: Database<OfficeSchema>;
  let ca: CertificateAuthority;
  let keys: FileKeyStore;
  let unsigned: Buffer;
  const dir = mkdtempSync(join(tmpdir(), 'vanban-agency-signing-'));
  const agencyId = async (code: string) =>
    (await database.db.selectFrom('agencies').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const verifier = () => new CertificateVerifier(ca.trustList(), new RevocationChecker(ca.fetcher()));

  before(async () => {
    testDb = await createTestDatabase();
    await migrateOffice(testDb.url);
    database = connect<OfficeSchema>(testDb.url, { max: 2 });
    await seedDemoProvince(database.db);
    ca = await CertificateAuthority.create(join(dir, 'ca'), { name: 'vanban Signing Test', baseUrl: 'http://ca.test' });
    keys = { dir: join(dir, 'ca', 'issued') };
    await seedDemoCredentials(database.db, ca, { agencyCodes: [UBND] });
    unsigned = await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none');
  });
  after(async () => {
    await database?.close();
    await testDb?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with the agency’s own certificate, which a verifier trusting the CA finds valid', async () => {
    const signed = await signPackageAsAgency(database.db, keys, await agencyId(UBND), unsigned);
    const report = await verifyFile(signed, verifier());
    assert.equal(report.verdict, 'valid', JSON.stringify(report.findings));
    assert.equal(report.signatures.length, 1);
    assert.equal(report.signatures[0]!.signer?.agencyCode, UBND, 'the organisation certificate, not a leader’s');
  });

  it('refuses an agency without a valid organisation certificate, naming why', async () => {
    await assert.rejects(signPackageAsAgency(database.db, keys, await agencyId(STC), unsigned), (error: unknown) => {
      assert.ok(error instanceof AgencySigningError);
      assert.match(error.vi, /chưa có chứng thư số/);
      return true;
    });
    // An expired certificate does not count, even with its key on file.
    const expired = await ca.issue({
      name: `agency-${STC}-old`,
      profile: 'agency',
      subject: { commonName: 'Sở Tài chính', agencyCode: STC },
      notBefore: new Date(Date.now() - 3 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    await insertCredential(database.db, {
      agencyId: await agencyId(STC),
      userId: null,
      backend: 'file',
      keyRef: `agency-${STC}-old`,
      certificateChain: readFileSync(expired.certificateFile, 'utf8'),
    });
    await assert.rejects(signPackageAsAgency(database.db, keys, await agencyId(STC), unsigned), AgencySigningError);
  });

  it('refuses when the key is not in the key store, or the reference would leave it', async () => {
    const syt = await agencyId(SYT);
    const issued = await ca.issue({ name: 'elsewhere', profile: 'agency', subject: { commonName: 'Sở Y tế', agencyCode: SYT } });
    const chain = readFileSync(issued.certificateFile, 'utf8');
    const id = await insertCredential(database.db, {
      agencyId: syt,
      userId: null,
      backend: 'file',
      keyRef: 'missing',
      certificateChain: chain,
    });
    await assert.rejects(signPackageAsAgency(database.db, keys, syt, unsigned), /no private key missing/);
    await database.db.updateTable('signing_credentials').set({ key_ref: '../ca/issued/elsewhere' }).where('id', '=', id).execute();
    await assert.rejects(signPackageAsAgency(database.db, keys, syt, unsigned), /not a file name/);
    await database.db.updateTable('signing_credentials').set({ key_ref: 'elsewhere' }).where('id', '=', id).execute();
    const signed = await signPackageAsAgency(database.db, keys, syt, unsigned);
    assert.equal((await verifyFile(signed, verifier())).signatures[0]!.signer?.agencyCode, SYT);
  });
});
