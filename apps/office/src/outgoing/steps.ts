import { buffer } from 'node:stream/consumers';
import type { BlobStore, Json } from '@vanban/db';
import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Actor } from '../http/members.js';
import type { OfficeSchema, OutgoingDocumentTable } from '../schema.js';
import type { FileKeyStore } from '../signing/agency-signing.js';
import type { OutgoingAction } from './workflow.js';

/** What one step of an outgoing document's workflow is given and gives back, and the files the steps share. */
export type OutgoingDocument = Selectable<OutgoingDocumentTable>;

/** What a person asks of an outgoing document beyond saving the draft. */
export interface OutgoingCommand {
  readonly action: Exclude<OutgoingAction, 'save_version'>;
  /** Comments for the drafter (a return), or a note with an approval. */
  readonly text?: string;
  /** To sign: the SHA-256 of the PDF the signer was shown, so that exactly that file is signed. */
  readonly sha256?: string;
  /** To number: the outgoing register, when the agency keeps more than one that fits. */
  readonly registerId?: string;
}

/** A message to people about the document, sent if and only if the action commits. */
export interface OutgoingNotice {
  readonly to: readonly string[];
  readonly kind: string;
  readonly vi: string;
  readonly en: string;
}

/** What an action did beyond moving the state. */
export interface Effect {
  readonly set?: Updateable<OutgoingDocumentTable>;
  readonly details?: { readonly [key: string]: Json };
  readonly notices?: readonly OutgoingNotice[];
  readonly result?: { readonly [key: string]: Json };
  /** Work that needs the document in its new state, done after it is moved, in the same transaction. */
  readonly after?: () => Promise<void>;
}

export interface Acting {
  readonly tx: Transaction<OfficeSchema>;
  readonly files: BlobStore;
  readonly keys: FileKeyStore | null;
  readonly doc: OutgoingDocument;
  readonly actor: Actor;
  readonly command: OutgoingCommand;
  readonly now: Date;
}

/** The file the signer signs: the PDF made from the Word draft, or the main file when it is a PDF. */
export async function fileToSign(tx: Kysely<OfficeSchema>, outgoingId: string) {
  const files = await tx
    .selectFrom('outgoing_files')
    .select(['position', 'role', 'name', 'content_type', 'sha256', 'size'])
    .where('outgoing_id', '=', outgoingId)
    .where('role', 'in', ['pdf', 'main'])
    .execute();
  return files.find((f) => f.role === 'pdf') ?? files.find((f) => f.role === 'main' && f.content_type === 'application/pdf') ?? null;
}

/** The file of a role, read whole. */
export async function fileBytes(tx: Transaction<OfficeSchema>, files: BlobStore, outgoingId: string, role: 'signed' | 'issued') {
  const file = await tx
    .selectFrom('outgoing_files')
    .select(['name', 'sha256'])
    .where('outgoing_id', '=', outgoingId)
    .where('role', '=', role)
    .executeTakeFirstOrThrow();
  return { name: file.name, bytes: await buffer(await files.read(file.sha256)) };
}

/** Keeps a file the workflow made (the signed, the issued PDF) among the document's files. */
export async function keepFile(
  tx: Transaction<OfficeSchema>,
  files: BlobStore,
  outgoingId: string,
  role: 'signed' | 'issued',
  name: string,
  bytes: Uint8Array,
): Promise<string> {
  const stored = await files.put(bytes);
  const last = await tx
    .selectFrom('outgoing_files')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('outgoing_id', '=', outgoingId)
    .executeTakeFirst();
  await tx
    .insertInto('outgoing_files')
    .values({
      outgoing_id: outgoingId,
      position: (last?.max ?? 0) + 1,
      role,
      name,
      content_type: 'application/pdf',
      sha256: stored.sha256,
      size: stored.size,
    })
    .execute();
  return stored.sha256;
}

export const quoted = (doc: OutgoingDocument) => `“${doc.subject.length > 120 ? `${doc.subject.slice(0, 117)}…` : doc.subject}”`;
