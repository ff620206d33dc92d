import { z } from 'zod';
import type { CsvRow } from './csv.js';
import { checkAgency, duplicateCode, normalizeAgencyCode, type Level } from './agency-rules.js';
import { parseRole, type Role } from './roles.js';
import { isStrongPassword } from '../auth/passwords.js';
import { usernameSchema } from './schemas.js';

export interface RowError {
  readonly field: string;
  readonly vi: string;
  readonly en: string;
}
export interface RejectedRow {
  readonly line: number;
  readonly errors: RowError[];
}
export type Plan<T> = { ok: true; items: T[] } | { ok: false; rejected: RejectedRow[] };

export const AGENCY_COLUMNS = ['code', 'name', 'short_name', 'level', 'parent_code'] as const;
export const USER_COLUMNS = ['username', 'full_name', 'email', 'password', 'department_code', 'roles', 'position'] as const;

export interface ExistingAgency {
  readonly id: string;
  readonly level: string;
  readonly path: string;
}

export interface PlannedAgency {
  readonly line: number;
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  readonly level: string;
  /** Either an agency already in the directory or one earlier in `items`. */
  readonly parent: { existing: ExistingAgency } | { code: string };
}

/**
 * Checks every row of an agency CSV and orders the rows parents first.
 * A parent is an agency already in the directory that the importer
 * administers, or another row of the same file. Any bad row rejects the file.
 */
export function planAgencyImport(
  rows: readonly CsvRow[],
  levels: readonly Level[],
  existing: ReadonlyMap<string, ExistingAgency>,
  administers: (agency: ExistingAgency) => boolean,
): Plan<PlannedAgency> {
  const rejected = new Map<number, RowError[]>();
  const reject = (line: number, error: RowError) => rejected.set(line, [...(rejected.get(line) ?? []), error]);
  const byCode = new Map<string, CsvRow>();
  for (const row of rows) {
    const code = normalizeAgencyCode(row.values.code ?? '');
    const first = byCode.get(code);
    if (first) {
      reject(row.line, { field: 'code', vi: `Mã ${code} trùng với dòng ${first.line}.`, en: `Code ${code} repeats line ${first.line}.` });
    } else byCode.set(code, row);
  }
  const levelOf = (code: string) => existing.get(code)?.level ?? byCode.get(code)?.values.level;

  for (const row of rows) {
    const v = row.values;
    const code = normalizeAgencyCode(v.code ?? '');
    const parentCode = normalizeAgencyCode(v.parent_code ?? '');
    const parentLevel = parentCode ? levelOf(parentCode) : undefined;
    const problems = checkAgency(
      { code, name: v.name ?? '', shortName: v.short_name ?? '', level: v.level ?? '' },
      levels,
      parentLevel ? { level: parentLevel } : null,
    );
    for (const p of problems) reject(row.line, { field: csvField(p.field), vi: p.vi, en: p.en });
    if (existing.has(code)) {
      const { vi, en } = duplicateCode(code);
      reject(row.line, { field: 'code', vi, en });
    }
    if (!parentCode) {
      reject(row.line, {
        field: 'parent_code',
        vi: 'Thiếu mã cơ quan cấp trên.',
        en: 'The parent agency code is missing.',
      });
    } else if (parentCode === code) {
      reject(row.line, {
        field: 'parent_code',
        vi: 'Cơ quan không thể là cấp trên của chính nó.',
        en: 'An agency cannot be its own parent.',
      });
    } else {
      const parent = existing.get(parentCode);
      if (parent && !administers(parent)) {
        reject(row.line, {
          field: 'parent_code',
          vi: `Bạn không quản trị cơ quan ${parentCode}.`,
          en: `You do not administer the agency ${parentCode}.`,
        });
      } else if (!parent && !byCode.has(parentCode)) {
        reject(row.line, {
          field: 'parent_code',
          vi: `Không có cơ quan cấp trên mã ${parentCode} trong danh bạ hay trong tệp.`,
          en: `No parent agency ${parentCode} in the directory or the file.`,
        });
      }
    }
  }

  // Parents first; a row whose parent row is rejected, or that sits in a cycle, cannot be placed.
  const ordered: PlannedAgency[] = [];
  const placed = new Set<string>();
  let pending = rows.filter((r) => !rejected.has(r.line));
  while (pending.length > 0) {
    const next = pending.filter((r) => {
      const parentCode = normalizeAgencyCode(r.values.parent_code ?? '');
      return existing.has(parentCode) || placed.has(parentCode);
    });
    if (next.length === 0) break;
    for (const r of next) {
      const code = normalizeAgencyCode(r.values.code ?? '');
      const parentCode = normalizeAgencyCode(r.values.parent_code ?? '');
      const parent = existing.get(parentCode);
      ordered.push({
        line: r.line,
        code,
        name: r.values.name!.trim(),
        shortName: r.values.short_name!.trim(),
        level: r.values.level!.trim(),
        parent: parent ? { existing: parent } : { code: parentCode },
      });
      placed.add(code);
    }
    pending = pending.filter((r) => !next.includes(r));
  }
  for (const r of pending) {
    reject(r.line, {
      field: 'parent_code',
      vi: 'Cơ quan cấp trên ở dòng bị lỗi hoặc các dòng tạo thành vòng lặp.',
      en: 'The parent row is rejected, or the rows form a cycle.',
    });
  }
  if (rejected.size > 0) return { ok: false, rejected: sortRejected(rejected) };
  return { ok: true, items: ordered };
}

export interface PlannedUser {
  readonly line: number;
  readonly username: string;
  readonly fullName: string;
  readonly email: string | null;
  readonly password: string;
  readonly departmentId: string | null;
  readonly roles: Role[];
  readonly position: string | null;
}

const emailSchema = z.email();

/** Checks every row of a user CSV for one agency; any bad row rejects the file. */
export function planUserImport(
  rows: readonly CsvRow[],
  departments: ReadonlyMap<string, string>,
  takenUsernames: ReadonlySet<string>,
): Plan<PlannedUser> {
  const rejected = new Map<number, RowError[]>();
  const reject = (line: number, error: RowError) => rejected.set(line, [...(rejected.get(line) ?? []), error]);
  const seen = new Map<string, number>();
  const items: PlannedUser[] = [];
  for (const row of rows) {
    const v = row.values;
    const username = usernameSchema.safeParse(v.username ?? '');
    if (!username.success) {
      reject(row.line, {
        field: 'username',
        vi: 'Tên đăng nhập chỉ gồm chữ a-z, số, dấu chấm, gạch ngang, gạch dưới; 2 đến 64 ký tự.',
        en: 'A username has 2 to 64 of a-z, digits, dot, dash, underscore.',
      });
    } else if (takenUsernames.has(username.data)) {
      reject(row.line, {
        field: 'username',
        vi: `Tên đăng nhập ${username.data} đã được dùng.`,
        en: `The username ${username.data} is taken.`,
      });
    } else if (seen.has(username.data)) {
      const first = seen.get(username.data)!;
      reject(row.line, { field: 'username', vi: `Tên đăng nhập trùng với dòng ${first}.`, en: `The username repeats line ${first}.` });
    }
    if (username.success && !seen.has(username.data)) seen.set(username.data, row.line);
    const fullName = (v.full_name ?? '').trim();
    if (!fullName || fullName.length > 200) {
      reject(row.line, {
        field: 'full_name',
        vi: 'Họ tên không được để trống (tối đa 200 ký tự).',
        en: 'The full name is required (200 characters at most).',
      });
    }
    const email = (v.email ?? '').trim();
    if (email && !emailSchema.safeParse(email).success) {
      reject(row.line, { field: 'email', vi: `Thư điện tử "${email}" không hợp lệ.`, en: `The email "${email}" is not valid.` });
    }
    const password = v.password ?? '';
    if (!isStrongPassword(password)) {
      reject(row.line, {
        field: 'password',
        vi: 'Mật khẩu phải có ít nhất 10 ký tự, gồm cả chữ và số.',
        en: 'The password needs at least 10 characters, with letters and digits.',
      });
    }
    const deptCode = (v.department_code ?? '').trim();
    const departmentId = deptCode ? departments.get(deptCode.toLowerCase()) : null;
    if (departmentId === undefined) {
      reject(row.line, {
        field: 'department_code',
        vi: `Không có phòng ban mã ${deptCode} trong cơ quan.`,
        en: `No department ${deptCode} in the agency.`,
      });
    }
    const roleTexts = (v.roles ?? '')
      .split('|')
      .map((r) => r.trim())
      .filter(Boolean);
    const roles = roleTexts.map(parseRole);
    const unknown = roleTexts.filter((_, i) => roles[i] === null);
    if (roleTexts.length === 0 || unknown.length > 0) {
      reject(row.line, {
        field: 'roles',
        vi: roleTexts.length === 0 ? 'Cần ít nhất một vai trò.' : `Vai trò không rõ: ${unknown.join(', ')}.`,
        en: roleTexts.length === 0 ? 'At least one role is needed.' : `Unknown roles: ${unknown.join(', ')}.`,
      });
    }
    if (!rejected.has(row.line) && username.success) {
      items.push({
        line: row.line,
        username: username.data,
        fullName,
        email: email || null,
        password,
        departmentId: departmentId ?? null,
        roles: [...new Set(roles.filter((r): r is Role => r !== null))],
        position: (v.position ?? '').trim() || null,
      });
    }
  }
  if (rejected.size > 0) return { ok: false, rejected: sortRejected(rejected) };
  return { ok: true, items };
}

function csvField(field: string): string {
  return field === 'shortName' ? 'short_name' : field === 'parentId' ? 'parent_code' : field;
}

function sortRejected(rejected: Map<number, RowError[]>): RejectedRow[] {
  return [...rejected.entries()].sort(([a], [b]) => a - b).map(([line, errors]) => ({ line, errors }));
}
