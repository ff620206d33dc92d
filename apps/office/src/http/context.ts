import type { BlobStore } from '@vanban/db';
import type { CertificateVerifier } from '@vanban/pki';
import type { Kysely } from 'kysely';
import type { FileKeyStore } from '../signing/agency-signing.js';
import type { Role } from '../directory/roles.js';
import type { OfficeSchema } from '../schema.js';

/** What every feature's routes get: the database, the file store, the signature checks and the settings. */
export interface OfficeContext {
  readonly db: Kysely<OfficeSchema>;
  /** Uploaded and received files, named by their SHA-256. */
  readonly files: BlobStore;
  /** Checks signatures against the certification authorities the installation trusts; null when none is configured. */
  readonly verifier: CertificateVerifier | null;
  /** Where the agencies' and signers' private keys are kept; null: nothing can be signed here. */
  readonly keys: FileKeyStore | null;
  readonly settings: OfficeSettings;
}

export interface OfficeSettings {
  /** Set the cookie's Secure flag: true whenever the office is served over HTTPS. */
  readonly secureCookies: boolean;
  /** Largest accepted upload, in bytes. */
  readonly maxUploadBytes: number;
}

export interface AuthMembership {
  readonly agencyId: string;
  readonly agencyCode: string;
  readonly agencyName: string;
  readonly departmentId: string | null;
  readonly departmentName: string | null;
  readonly roles: Role[];
  readonly position: string | null;
}

/** The caller, as the access check found it. */
export interface Caller {
  readonly sessionId: string;
  readonly userId: string;
  readonly username: string;
  readonly currentAgencyId: string;
  readonly memberships: readonly AuthMembership[];
}

/** Declared by a route in `config.access`; absent means: any logged-in user. */
export type Access = { readonly public: true } | { readonly roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export function requireCaller(caller: Caller | null): Caller {
  if (!caller) throw new Error('Route reached without an authenticated caller: its access config is wrong');
  return caller;
}
