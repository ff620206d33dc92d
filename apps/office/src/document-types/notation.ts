/**
 * Number and notation of an outgoing document (Nghị định 30/2020, Phụ lục I): `125/QĐ-UBND` for a
 * typed document (the type's abbreviation, then the issuing agency's), `125/UBND-VP` for a Công văn
 * (the agency's, then the drafting unit's). Abbreviations are written as given: letters with their
 * diacritics, no spaces.
 */
export interface NotationParts {
  /** The register number as written: at least two digits (01, 02, … 125). */
  readonly number: string;
  /** Null for a type written without an abbreviation (Công văn, Thư công). */
  readonly typeAbbreviation: string | null;
  readonly agencyAbbreviation: string;
  /** The drafting unit's abbreviation; required when the type has none. */
  readonly unitAbbreviation?: string;
}

export class NotationError extends Error {}

const ABBREVIATION = /^[\p{L}\p{N}]{1,15}$/u;

function checked(value: string, what: string): string {
  const v = value.trim();
  if (!ABBREVIATION.test(v)) throw new NotationError(`${what} must be letters and digits only, not "${value}"`);
  return v;
}

/** The notation alone: `QĐ-UBND`, `UBND-VP`. */
export function notationOf(parts: Omit<NotationParts, 'number'>): string {
  const agency = checked(parts.agencyAbbreviation, 'the agency abbreviation');
  if (parts.typeAbbreviation !== null) return `${checked(parts.typeAbbreviation, 'the type abbreviation')}-${agency}`;
  if (!parts.unitAbbreviation) throw new NotationError('a document without a type abbreviation needs the drafting unit');
  return `${agency}-${checked(parts.unitAbbreviation, 'the unit abbreviation')}`;
}

/** The whole code written on the document: `125/QĐ-UBND`. */
export function numberAndNotation(parts: NotationParts): string {
  if (!/^\d{2,}$/.test(parts.number)) throw new NotationError(`a register number has at least two digits, not "${parts.number}"`);
  return `${parts.number}/${notationOf(parts)}`;
}

/** How a document's number and notation are written together, whoever numbered it: `125/UBND-VP`, or the number alone. */
export function writtenCode(doc: { readonly number: string; readonly notation: string }): string {
  return doc.notation ? `${doc.number}/${doc.notation}` : doc.number;
}
