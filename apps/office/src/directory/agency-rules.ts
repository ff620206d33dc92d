import { validateAgencyCode } from '@vanban/edxml';

export interface Level {
  readonly code: string;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly rank: number;
}

export interface AgencyDraft {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  readonly level: string;
}

export interface ParentInfo {
  readonly level: string;
}

/** One broken rule about one field, said in both languages. */
export interface FieldProblem {
  readonly field: string;
  readonly code: 'invalid_agency_code' | 'invalid_level' | 'invalid_parent' | 'duplicate_agency_code' | 'required';
  readonly vi: string;
  readonly en: string;
}

/** Codes are compared and stored in upper case: `000.00.00.h49` and `000.00.00.H49` are one agency. */
export function normalizeAgencyCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * The rules an agency must satisfy whatever way it enters the directory
 * (form or CSV): a well-formed code, a configured level, and a parent whose
 * level is not below its own (a commune cannot be the parent of a province body).
 */
export function checkAgency(draft: AgencyDraft, levels: readonly Level[], parent: ParentInfo | null): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (draft.name.trim() === '') problems.push(required('name', 'Tên cơ quan', 'Agency name'));
  if (draft.shortName.trim() === '') problems.push(required('shortName', 'Tên viết tắt', 'Short name'));
  const verdict = validateAgencyCode(normalizeAgencyCode(draft.code));
  if (!verdict.ok) {
    problems.push({
      field: 'code',
      code: 'invalid_agency_code',
      vi: `Mã định danh "${draft.code}" không đúng định dạng xxx.xx.xx.L99 (${verdict.reason.vi}).`,
      en: `The agency code "${draft.code}" is not of the form xxx.xx.xx.L99 (${verdict.reason.en}).`,
    });
  }
  const level = levels.find((l) => l.code === draft.level);
  if (!level) {
    const known = levels.map((l) => l.code).join(', ');
    problems.push({
      field: 'level',
      code: 'invalid_level',
      vi: `Cấp "${draft.level}" không có trong danh mục (${known}).`,
      en: `The level "${draft.level}" is not configured (${known}).`,
    });
  }
  if (parent && level) {
    const parentLevel = levels.find((l) => l.code === parent.level);
    if (parentLevel && parentLevel.rank > level.rank) {
      problems.push({
        field: 'parentId',
        code: 'invalid_parent',
        vi: `Cơ quan cấp ${parentLevel.nameVi} không thể là cấp trên của cơ quan cấp ${level.nameVi}.`,
        en: `An agency of level ${parentLevel.nameEn} cannot be the parent of one of level ${level.nameEn}.`,
      });
    }
  }
  return problems;
}

export function duplicateCode(code: string): FieldProblem {
  return {
    field: 'code',
    code: 'duplicate_agency_code',
    vi: `Mã định danh ${code} đã có trong danh bạ.`,
    en: `The agency code ${code} is already in the directory.`,
  };
}

function required(field: string, vi: string, en: string): FieldProblem {
  return { field, code: 'required', vi: `${vi} không được để trống.`, en: `${en} is required.` };
}
