import type pg from 'pg';
import type { RoutingTable } from './routing.js';

/** Who is at the other end of a TLS connection, known by the SHA-256 of its client certificate. */
export type Client =
  | { kind: 'system'; id: string; name: string; speaksFor: ReadonlySet<string> }
  | { kind: 'peer'; id: string; name: string; hubCode: string };

export async function clientByFingerprint(pool: pg.Pool, sha256: string): Promise<Client | null> {
  const system = await pool.query<{ id: string; name: string; agencies: string[] }>(
    `SELECT s.id, s.name, coalesce(array_agg(a.agency_code) FILTER (WHERE a.agency_code IS NOT NULL), '{}') AS agencies
       FROM systems s LEFT JOIN system_agencies a ON a.system_id = s.id
      WHERE s.cert_sha256 = $1 AND s.active GROUP BY s.id`,
    [sha256],
  );
  const s = system.rows[0];
  if (s) return { kind: 'system', id: s.id, name: s.name, speaksFor: new Set(s.agencies) };
  const peer = await pool.query<{ id: string; name: string; hub_code: string }>(
    `SELECT id, name, hub_code FROM peers WHERE cert_sha256 = $1`,
    [sha256],
  );
  const p = peer.rows[0];
  return p ? { kind: 'peer', id: p.id, name: p.name, hubCode: p.hub_code } : null;
}

export async function registerSystem(
  pool: pg.Pool,
  system: { id: string; name: string; certSha256: string; pushUrl?: string | null },
): Promise<void> {
  await pool.query(
    `INSERT INTO systems (id, name, cert_sha256, push_url) VALUES ($1, $2, $3, $4)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, cert_sha256 = excluded.cert_sha256, push_url = excluded.push_url`,
    [system.id, system.name, system.certSha256, system.pushUrl ?? null],
  );
}

/** The agencies a system speaks and receives for; an agency lives on one system. */
export async function assignAgencies(pool: pg.Pool, systemId: string, agencies: readonly { code: string; name: string }[]): Promise<void> {
  if (agencies.length === 0) return;
  await pool.query(
    `INSERT INTO system_agencies (agency_code, system_id, agency_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (agency_code) DO UPDATE SET system_id = excluded.system_id, agency_name = excluded.agency_name`,
    [agencies.map((a) => a.code), agencies.map(() => systemId), agencies.map((a) => a.name)],
  );
}

export async function loadRoutingTable(pool: pg.Pool): Promise<RoutingTable> {
  const [agencies, routes] = await Promise.all([
    pool.query<{ agency_code: string; system_id: string }>(
      `SELECT a.agency_code, a.system_id FROM system_agencies a JOIN systems s ON s.id = a.system_id WHERE s.active`,
    ),
    pool.query<{ pattern: string; peer_id: string }>(`SELECT pattern, peer_id FROM peer_routes`),
  ]);
  return {
    localAgencies: new Map(agencies.rows.map((r) => [r.agency_code, r.system_id])),
    peerRoutes: routes.rows.map((r) => ({ pattern: r.pattern, peerId: r.peer_id })),
  };
}

/** The agencies reachable here: those of this hub's systems, with their names, by code. */
export async function directory(pool: pg.Pool): Promise<{ code: string; name: string }[]> {
  const { rows } = await pool.query<{ code: string; name: string }>(
    `SELECT a.agency_code AS code, a.agency_name AS name FROM system_agencies a JOIN systems s ON s.id = a.system_id
      WHERE s.active ORDER BY a.agency_code`,
  );
  return rows;
}
