/** Vietnamese letters without their marks, case kept: "Hồ sơ Đất đai" → "Ho so Dat dai". */
export function withoutMarks(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'));
}
