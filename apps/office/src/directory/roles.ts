import { z } from 'zod';
import { withoutMarks } from '../tools/vietnamese.js';

export const ROLES = ['clerk', 'officer', 'department_leader', 'agency_leader', 'administrator'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  clerk: { vi: 'Văn thư', en: 'Clerk' },
  officer: { vi: 'Chuyên viên', en: 'Officer' },
  department_leader: { vi: 'Lãnh đạo phòng', en: 'Department leader' },
  agency_leader: { vi: 'Lãnh đạo cơ quan', en: 'Agency leader' },
  administrator: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};

/** Reads a role written by a person: its code or its Vietnamese or English label, any case, with or without diacritics. */
export function parseRole(text: string): Role | null {
  const key = fold(text);
  for (const role of ROLES) {
    const label = ROLE_LABELS[role];
    if (key === fold(role) || key === fold(label.vi) || key === fold(label.en)) return role;
  }
  return null;
}

function fold(s: string): string {
  return withoutMarks(s)
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ')
    .trim();
}
