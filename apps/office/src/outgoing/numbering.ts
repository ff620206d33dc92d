import { buffer } from 'node:stream/consumers';
import { vietnamDay } from '../calendar/working-days.js';
import { NotationError, notationOf } from '../document-types/notation.js';
import { writtenDateOf } from '../document-types/written-date.js';
import { AppError } from '../http/errors.js';
import { formatRegisterNumber, takeNextNumber } from '../registers/numbering.js';
import { agencySigningKey, AgencySigningError } from '../signing/agency-signing.js';
import { fileBytes, keepFile, type Acting, type Effect } from './steps.js';
import { issuedPdf } from './issued-pdf.js';

/**
 * The outgoing register a document is numbered in: the one asked for, else the agency's only one
 * that fits. Classified documents are numbered in classified registers, others never are.
 */
async function registerFor(a: Acting): Promise<string> {
  let query = a.tx
    .selectFrom('registers')
    .select('id')
    .where('agency_id', '=', a.doc.agency_id)
    .where('kind', '=', 'outgoing')
    .where('classified', '=', a.doc.classification !== 'none');
  if (a.command.registerId) query = query.where('id', '=', a.command.registerId);
  const registers = await query.execute();
  if (registers.length !== 1) {
    throw new AppError('invalid_register', {
      reason: registers.length === 0 ? 'no outgoing register fits this document' : 'choose one of the outgoing registers',
    });
  }
  return registers[0]!.id;
}

/** The notation from the document type, the agency and, for a Công văn, the drafting unit. */
async function notationFor(a: Acting): Promise<string> {
  const agency = await a.tx
    .selectFrom('agencies')
    .select('notation_abbreviation')
    .where('id', '=', a.doc.agency_id)
    .executeTakeFirstOrThrow();
  if (!agency.notation_abbreviation) throw new AppError('agency_abbreviation_missing');
  const unit = a.doc.department_id
    ? await a.tx.selectFrom('departments').select('code').where('id', '=', a.doc.department_id).executeTakeFirst()
    : undefined;
  try {
    return notationOf({
      typeAbbreviation: a.doc.type_abbreviation,
      agencyAbbreviation: agency.notation_abbreviation,
      ...(unit ? { unitAbbreviation: unit.code } : {}),
    });
  } catch (error) {
    if (error instanceof NotationError) throw new AppError('validation_failed', { reason: error.message });
    throw error;
  }
}

/**
 * The clerk numbers a signed document: the next number of the register for the year, taken in
 * this transaction (a failure further on gives it back, so none is skipped or given twice), the
 * number, notation and date written onto the signer's PDF, and the agency's signature with its seal.
 */
export async function numberOutgoing(a: Acting): Promise<Effect> {
  if (!a.keys) throw new AppError('signing_unavailable');
  const registerId = await registerFor(a);
  const notation = await notationFor(a);
  const issueDate = vietnamDay(a.now);
  const year = Number(issueDate.slice(0, 4));
  let key;
  try {
    key = await agencySigningKey(a.tx, a.keys, a.doc.agency_id, a.now);
  } catch (error) {
    if (error instanceof AgencySigningError) throw new AppError('no_signing_certificate', { reason: error.message });
    throw error;
  }
  const seal = await a.tx.selectFrom('agency_seals').select('sha256').where('agency_id', '=', a.doc.agency_id).executeTakeFirst();
  const sealImage = seal ? await buffer(await a.files.read(seal.sha256)) : null;
  const signed = await fileBytes(a.tx, a.files, a.doc.id, 'signed');
  // Last before the PDF work: the register's counter stays locked until this transaction ends.
  const number = await takeNextNumber(a.tx, registerId, year);
  const written = formatRegisterNumber(number);
  const issued = await issuedPdf(
    signed.bytes,
    { number: written, notation, date: writtenDateOf(issueDate) },
    { key, sealImage, at: a.now },
  );
  const sha256 = await keepFile(a.tx, a.files, a.doc.id, 'issued', `${written}-${notation}.pdf`, issued.pdf);
  return {
    set: { register_id: registerId, register_year: year, number, notation, issue_date: issueDate, numbered_at: a.now },
    details: { registerId, registerYear: year, number: written, notation, issueDate, sha256, written: issued.where },
    result: { number: written, notation, issueDate },
  };
}
