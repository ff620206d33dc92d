import { createHash } from 'node:crypto';
import { withTransaction } from '@vanban/db';
import { validateAgencyCode } from '@vanban/edxml';
import type pg from 'pg';
import { isRoutePattern, type RoutingTable } from './routing.js';

/** Who is at the other end of a TLS connection, known by the SHA-256 of its client certificate. */
export type Client =
  | ({ kind: 'system'; id: string; name: string; speaksFor: ReadonlySet<string> } & Moving)
  | ({ kind: 'peer'; id: string; name: string; hubCode: string } & Moving)
  | { kind: 'admin'; id: string; name: string };

interface Moving {
  /** Known by the certificate it is moving away from, which is refused after this moment. */
  until?: Date;
}

/** How the hub knows a client: the SHA-256 of its certificate's DER bytes, in lower-case hex. */
export function certificateFingerprint(der: Uint8Array | ArrayBuffer): string {
  return createHash('sha256')
    .update(Buffer.from(der instanceof ArrayBuffer ? new Uint8Array(der) : der))
    .digest('hex');
}

/** A mistake in what an administrator asked for, told in both languages. */
export class RegistryError extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** A system or peer row (`alias`) known by the fingerprint $1: its certificate, or the old one it still keeps. */
const KNOWN_BY = (alias: string) =>
  `(${alias}.cert_sha256 = $1 OR (${alias}.previous_cert_sha256 = $1 AND ${alias}.previous_cert_until > now()))`;
/** Until when a row found by KNOWN_BY is known by $1: null for its current certificate. */
const UNTIL = (alias: string) => `CASE WHEN ${alias}.cert_sha256 = $1 THEN NULL ELSE ${alias}.previous_cert_until END`;

/**
 * The SET part for a system or peer registered again: a new certificate replaces the old one, which
 * is kept `$days` more days when that is above 0; the same certificate again keeps what was kept.
 */
const KEEP_PREVIOUS = (table: 'systems' | 'peers', days: string) =>
  `previous_cert_sha256 = CASE WHEN ${table}.cert_sha256 = excluded.cert_sha256 THEN ${table}.previous_cert_sha256
                               WHEN ${days}::int > 0 THEN ${table}.cert_sha256 END,
   previous_cert_until = CASE WHEN ${table}.cert_sha256 = excluded.cert_sha256 THEN ${table}.previous_cert_until
                              WHEN ${days}::int > 0 THEN now() + make_interval(days => ${days}::int) END`;

/** Long enough for a system or hub to plan its switch; an old certificate should not linger for months. */
export const MAX_KEEP_PREVIOUS_DAYS = 90;

function keptDays(days: number | undefined): number {
  if (days === undefined) return 0;
  if (!(Number.isInteger(days) && days >= 1 && days <= MAX_KEEP_PREVIOUS_DAYS)) {
    throw new RegistryError(
      `Số ngày giữ chứng thư cũ phải từ 1 đến ${MAX_KEEP_PREVIOUS_DAYS}.`,
      `The days to keep the old certificate must be 1 to ${MAX_KEEP_PREVIOUS_DAYS}.`,
    );
  }
  return days;
}

/** A certificate is one caller's: the unique indexes say so, and the administrator is told in words. */
function certificateTaken(error: unknown): never {
  if ((error as { code?: string }).code === '23505') {
    throw new RegistryError(
      'Chứng thư số này đã đăng ký cho một hệ thống hay trục khác (hoặc còn được giữ làm chứng thư cũ của nó).',
      'This certificate is registered to another system or hub already (or still kept as its old one).',
    );
  }
  throw error;
}

export async function clientByFingerprint(pool: pg.Pool, sha256: string): Promise<Client | null> {
  // A current certificate first: one registered anew wins over another's old one.
  const system = await pool.query<{ id: string; name: string; until: Date | null; agencies: string[] }>({
    text: `SELECT s.id, s.name, ${UNTIL('s')} AS until,
                  coalesce(array_agg(a.agency_code) FILTER (WHERE a.agency_code IS NOT NULL), '{}') AS agencies
             FROM systems s LEFT JOIN system_agencies a ON a.system_id = s.id
            WHERE ${KNOWN_BY('s')} AND s.active
            GROUP BY s.id ORDER BY s.cert_sha256 = $1 DESC LIMIT 1`,
    values: [sha256],
  });
  const s = system.rows[0];
  if (s) return { kind: 'system', id: s.id, name: s.name, speaksFor: new Set(s.agencies), ...(s.until ? { until: s.until } : {}) };
  const peer = await pool.query<{ id: string; name: string; hub_code: string; until: Date | null }>({
    text: `SELECT p.id, p.name, p.hub_code, ${UNTIL('p')} AS until FROM peers p
            WHERE ${KNOWN_BY('p')} ORDER BY p.cert_sha256 = $1 DESC LIMIT 1`,
    values: [sha256],
  });
  const p = peer.rows[0];
  if (p) return { kind: 'peer', id: p.id, name: p.name, hubCode: p.hub_code, ...(p.until ? { until: p.until } : {}) };
  const admin = await pool.query<{ name: string }>(`SELECT name FROM administrators WHERE cert_sha256 = $1`, [sha256]);
  const a = admin.rows[0];
  return a ? { kind: 'admin', id: a.name, name: a.name } : null;
}

export interface SystemRecord {
  id: string;
  name: string;
  certSha256: string;
  /** The certificate it is moving away from, still taken until `previousCertUntil`. */
  previousCertSha256: string | null;
  previousCertUntil: Date | null;
  pushUrl: string | null;
  active: boolean;
  agencies: number;
}

/**
 * Adds a connected system or changes it; what is already owed to it follows its new way of delivery.
 * A new certificate replaces the old one at once, unless `keepPreviousDays` keeps the old one too
 * for that many days: the system then switches when it is ready. Registering the same certificate
 * again leaves a kept one as it is.
 */
export async function registerSystem(
  pool: pg.Pool,
  system: { id: string; name: string; certSha256: string; pushUrl?: string | null; keepPreviousDays?: number },
): Promise<void> {
  const keep = keptDays(system.keepPreviousDays);
  await withTransaction(pool, async (client) => {
    await client
      .query(
        `INSERT INTO systems (id, name, cert_sha256, push_url) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, cert_sha256 = excluded.cert_sha256, push_url = excluded.push_url,
           ${KEEP_PREVIOUS('systems', '$5')}`,
        [system.id, system.name, system.certSha256, system.pushUrl ?? null, keep],
      )
      .catch(certificateTaken);
    await client.query(
      `UPDATE deliveries SET mode = $2, next_attempt_at = now()
        WHERE target_kind = 'system' AND target_id = $1 AND state = 'pending' AND mode <> $2`,
      [system.id, system.pushUrl ? 'push' : 'pull'],
    );
  });
}

/** A disabled system is refused at the door and its agencies leave the directory; nothing is deleted. */
export async function setSystemActive(pool: pg.Pool, id: string, active: boolean): Promise<void> {
  const { rowCount } = await pool.query(`UPDATE systems SET active = $2 WHERE id = $1`, [id, active]);
  if (!rowCount) throw new RegistryError(`Không có hệ thống ${id}.`, `No system ${id}.`);
}

export async function listSystems(pool: pg.Pool): Promise<SystemRecord[]> {
  const { rows } = await pool.query<SystemRecord>(
    `SELECT s.id, s.name, s.cert_sha256 AS "certSha256", s.previous_cert_sha256 AS "previousCertSha256",
            s.previous_cert_until AS "previousCertUntil", s.push_url AS "pushUrl", s.active,
            (SELECT count(*)::int FROM system_agencies a WHERE a.system_id = s.id) AS agencies
       FROM systems s ORDER BY s.id`,
  );
  return rows;
}

export interface PeerRecord {
  id: string;
  name: string;
  hubCode: string;
  baseUrl: string;
  certSha256: string;
  previousCertSha256: string | null;
  previousCertUntil: Date | null;
  routes: string[];
}

/** Adds a peer hub or changes it; like a system, it may keep its old certificate `keepPreviousDays` days. */
export async function registerPeer(
  pool: pg.Pool,
  peer: { id: string; name: string; hubCode: string; baseUrl: string; certSha256: string; keepPreviousDays?: number },
): Promise<void> {
  const keep = keptDays(peer.keepPreviousDays);
  await pool
    .query(
      `INSERT INTO peers (id, name, hub_code, base_url, cert_sha256) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, hub_code = excluded.hub_code, base_url = excluded.base_url,
         cert_sha256 = excluded.cert_sha256, ${KEEP_PREVIOUS('peers', '$6')}`,
      [peer.id, peer.name, peer.hubCode, peer.baseUrl, peer.certSha256, keep],
    )
    .catch(certificateTaken);
}

export async function listPeers(pool: pg.Pool): Promise<PeerRecord[]> {
  const { rows } = await pool.query<PeerRecord>(
    `SELECT p.id, p.name, p.hub_code AS "hubCode", p.base_url AS "baseUrl", p.cert_sha256 AS "certSha256",
            p.previous_cert_sha256 AS "previousCertSha256", p.previous_cert_until AS "previousCertUntil",
            coalesce(array_agg(r.pattern ORDER BY r.pattern) FILTER (WHERE r.pattern IS NOT NULL), '{}') AS routes
       FROM peers p LEFT JOIN peer_routes r ON r.peer_id = p.id GROUP BY p.id ORDER BY p.id`,
  );
  return rows;
}

/** Sends the agencies matching `pattern` (`*.H44`, `*`) to a peer hub; a pattern has one peer. */
export async function setRoute(pool: pg.Pool, pattern: string, peerId: string): Promise<void> {
  if (!isRoutePattern(pattern)) {
    throw new RegistryError(
      `Mẫu định tuyến ${pattern} không hợp lệ (ví dụ: *.H44, *.24.H44, *).`,
      `Route pattern ${pattern} is not valid (for example *.H44, *.24.H44, *).`,
    );
  }
  const peer = await pool.query(`SELECT 1 FROM peers WHERE id = $1`, [peerId]);
  if (!peer.rowCount) throw new RegistryError(`Không có trục ${peerId}.`, `No peer hub ${peerId}.`);
  await pool.query(
    `INSERT INTO peer_routes (pattern, peer_id) VALUES ($1, $2) ON CONFLICT (pattern) DO UPDATE SET peer_id = excluded.peer_id`,
    [pattern, peerId],
  );
}

export async function removeRoute(pool: pg.Pool, pattern: string): Promise<boolean> {
  return ((await pool.query(`DELETE FROM peer_routes WHERE pattern = $1`, [pattern])).rowCount ?? 0) > 0;
}

export async function registerAdministrator(pool: pg.Pool, admin: { name: string; certSha256: string }): Promise<void> {
  await pool.query(
    `INSERT INTO administrators (name, cert_sha256) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET cert_sha256 = excluded.cert_sha256`,
    [admin.name, admin.certSha256],
  );
}

/** The agencies a system speaks and receives for; an agency lives on one system. */
export async function assignAgencies(pool: pg.Pool, systemId: string, agencies: readonly { code: string; name: string }[]): Promise<void> {
  if (agencies.length === 0) return;
  const invalid = agencies.filter((a) => !validateAgencyCode(a.code).ok).map((a) => a.code);
  if (invalid.length)
    throw new RegistryError(`Mã định danh không hợp lệ: ${invalid.join(', ')}.`, `Invalid agency codes: ${invalid.join(', ')}.`);
  const system = await pool.query(`SELECT 1 FROM systems WHERE id = $1`, [systemId]);
  if (!system.rowCount) throw new RegistryError(`Không có hệ thống ${systemId}.`, `No system ${systemId}.`);
  await pool.query(
    `INSERT INTO system_agencies (agency_code, system_id, agency_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
     ON CONFLICT (agency_code) DO UPDATE SET system_id = excluded.system_id, agency_name = excluded.agency_name`,
    [agencies.map((a) => a.code), agencies.map(() => systemId), agencies.map((a) => a.name)],
  );
}

/**
 * Takes agencies off the registry, as when one is merged into another or dissolved: from then on a
 * package to one is refused as addressed to an unknown recipient, and the directory leaves it out.
 * What it was owed before stays owed to the system that served it. Says which codes were not there.
 */
export async function removeAgencies(pool: pg.Pool, codes: readonly string[]): Promise<{ removed: string[]; unknown: string[] }> {
  const { rows } = await pool.query<{ agency_code: string }>(
    `DELETE FROM system_agencies WHERE agency_code = ANY($1::text[]) RETURNING agency_code`,
    [codes],
  );
  const removed = rows.map((r) => r.agency_code);
  return { removed, unknown: codes.filter((code) => !removed.includes(code)) };
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
