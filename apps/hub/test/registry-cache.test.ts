import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { buildPackageBytes } from '@vanban/edxml';
import { SAMPLE_FILES, samplePackage } from '@vanban/edxml/testing';
import { signEdxml } from '@vanban/pki';
import { HubHarness, until, type Caller } from './harness.js';
import type { RunningHub } from '../src/hub.js';
import { assignAgencies, registerSystem } from '../src/registry.js';

const UBND = '000.00.00.H99';

describe('the registry a hub keeps in memory', () => {
  let h: HubHarness;
  let hub: RunningHub;
  let asOffice: Caller;
  let signed: Buffer;

  before(async () => {
    h = await HubHarness.create();
    ({ hub } = await h.hub('hub', '000.00.00.G99'));
    const office = await h.client('office');
    asOffice = h.caller(office);
    await registerSystem(hub.pool, { id: 'office', name: 'Office', certSha256: HubHarness.fingerprint(office) });
    await assignAgencies(hub.pool, 'office', [{ code: UBND, name: 'UBND tỉnh' }]);
    await h.ca.issue({ name: 'ubnd', profile: 'agency', subject: { commonName: 'UBND tỉnh Bình An', agencyCode: UBND } });
    const xml = (await buildPackageBytes(samplePackage(), SAMPLE_FILES, 'none')).toString('utf8');
    signed = Buffer.from(await signEdxml(xml, await h.ca.signingKey('ubnd')));
  });
  after(() => h?.close());

  const directoryStatus = async () => (await asOffice('GET', `${hub.url}/directory`)).status;

  it('follows changes made behind its back, in plain SQL, without a restart', async () => {
    // Both recipients are unknown yet: refused, and the routing table is now held in memory.
    const refused = await asOffice('POST', `${hub.url}/packages`, signed);
    assert.equal(refused.status, 422);
    assert.equal(refused.json<{ check: string }>().check, 'recipients');
    await hub.pool.query(
      `INSERT INTO system_agencies (agency_code, system_id, agency_name)
       VALUES ('000.00.04.H99', 'office', 'Sở Tài chính'), ('000.00.09.H99', 'office', 'Sở Y tế')`,
    );
    await until('the recipients are reachable', async () => {
      const sent = await asOffice('POST', `${hub.url}/packages`, signed);
      return sent.status === 201 ? true : undefined;
    });

    assert.equal(await directoryStatus(), 200);
    await hub.pool.query(`UPDATE systems SET active = false WHERE id = 'office'`);
    await until('the disabled system is refused', async () => ((await directoryStatus()) === 401 ? true : undefined));
    await hub.pool.query(`UPDATE systems SET active = true WHERE id = 'office'`);
    await until('the system is served again', async () => ((await directoryStatus()) === 200 ? true : undefined));
  });
});
