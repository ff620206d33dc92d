/**
 * Agency codes (mã định danh, QĐ 20/2020/QĐ-TTg): four groups `xxx.xx.xx.L99`,
 * read right to left from level 1 to level 4. The last group is a letter and two
 * digits; the others are digits, zeros where a level is unused. A level can
 * only be used when every level above it is.
 */
export type AgencyCodeVerdict =
  { ok: true; code: string; level: 1 | 2 | 3 | 4; parent: string | null } | { ok: false; reason: { vi: string; en: string } };

const SHAPE = /^(\d{3})\.(\d{2})\.(\d{2})\.([A-Z]\d{2})$/;

export function validateAgencyCode(code: string): AgencyCodeVerdict {
  const m = SHAPE.exec(code);
  if (!m)
    return {
      ok: false,
      reason: {
        vi: 'cần bốn nhóm: 3 chữ số, 2 chữ số, 2 chữ số, một chữ cái in hoa và 2 chữ số',
        en: 'expected four groups: 3 digits, 2 digits, 2 digits, a capital letter and 2 digits',
      },
    };
  const [, g4, g3, g2, g1] = m as unknown as [string, string, string, string, string];
  const used = [Number(g2) !== 0, Number(g3) !== 0, Number(g4) !== 0];
  if (used[1] && !used[0])
    return { ok: false, reason: { vi: 'có cấp 3 trong khi cấp 2 bằng 0', en: 'level 3 is set while level 2 is zero' } };
  if (used[2] && !used[1])
    return { ok: false, reason: { vi: 'có cấp 4 trong khi cấp 3 bằng 0', en: 'level 4 is set while level 3 is zero' } };
  const level = (1 + used.filter(Boolean).length) as 1 | 2 | 3 | 4;
  const parent = level === 1 ? null : level === 2 ? `000.00.00.${g1}` : level === 3 ? `000.00.${g2}.${g1}` : `000.${g3}.${g2}.${g1}`;
  return { ok: true, code, level, parent };
}

export function isAgencyCode(code: string): boolean {
  return validateAgencyCode(code).ok;
}
