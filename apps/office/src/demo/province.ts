import type { Role } from '../directory/roles.js';

/**
 * The demo province: a People's Committee, its departments (Sở), districts and
 * communes, with people in every role. A pure function of the seed, so that
 * every machine gets the same province.
 */
export interface DemoAgency {
  readonly code: string;
  readonly name: string;
  readonly shortName: string;
  /** What its notations say: UBND, STC, SYT. */
  readonly notationAbbreviation: string;
  readonly level: 'province' | 'district' | 'commune';
  readonly parentCode: string | null;
  /** Used to build usernames: vt.<slug>, cv.<slug>, ... */
  readonly slug: string;
  readonly departments: readonly { code: string; name: string }[];
}

export interface DemoUser {
  readonly username: string;
  readonly fullName: string;
  readonly email: string;
  readonly memberships: readonly { agencyCode: string; departmentCode: string | null; roles: Role[]; position: string }[];
}

export interface DemoProvince {
  readonly agencies: readonly DemoAgency[];
  readonly users: readonly DemoUser[];
}

const PROVINCE = 'H99';
const PROVINCE_NAME = 'Bình An';

const SO: readonly [string, string][] = [
  ['Văn phòng Ủy ban nhân dân tỉnh', 'vp'],
  ['Sở Nội vụ', 'sonv'],
  ['Sở Tư pháp', 'sotp'],
  ['Sở Tài chính', 'sotc'],
  ['Sở Công Thương', 'soct'],
  ['Sở Xây dựng', 'soxd'],
  ['Sở Nông nghiệp và Môi trường', 'sonnmt'],
  ['Sở Giáo dục và Đào tạo', 'sogddt'],
  ['Sở Y tế', 'soyt'],
  ['Sở Khoa học và Công nghệ', 'sokhcn'],
  ['Sở Văn hóa, Thể thao và Du lịch', 'sovhttdl'],
  ['Sở Dân tộc và Tôn giáo', 'sodttg'],
  ['Sở Ngoại vụ', 'songv'],
  ['Thanh tra tỉnh', 'thanhtra'],
  ['Ban Quản lý các khu công nghiệp', 'bqlkcn'],
  ['Sở Lao động - Thương binh và Xã hội', 'soldtbxh'],
  ['Sở Giao thông vận tải', 'sogtvt'],
  ['Sở Kế hoạch và Đầu tư', 'sokhdt'],
  ['Sở Thông tin và Truyền thông', 'sotttt'],
  ['Sở Tài nguyên và Môi trường', 'sotnmt'],
];

/** Abbreviations in use that initials would not give. */
const SO_NOTATIONS: Readonly<Record<string, string>> = { vp: 'VP', thanhtra: 'TTr', bqlkcn: 'BQLKCN' };

const DISTRICTS: readonly [string, string][] = [
  ['Thành phố Bình An', 'tpbinhan'],
  ['Thị xã Phú Mỹ', 'txphumy'],
  ['Huyện Tân Hòa', 'tanhoa'],
  ['Huyện Phước Long', 'phuoclong'],
  ['Huyện Thạnh Hưng', 'thanhhung'],
  ['Huyện Đông Sơn', 'dongson'],
  ['Huyện Vĩnh Lộc', 'vinhloc'],
  ['Huyện Hòa Thuận', 'hoathuan'],
];

const PLACE_WORDS = [
  'An',
  'Bình',
  'Tân',
  'Phú',
  'Hòa',
  'Long',
  'Thạnh',
  'Vĩnh',
  'Phước',
  'Mỹ',
  'Hưng',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Thuận',
  'Hiệp',
  'Lộc',
  'Quang',
  'Hải',
  'Sơn',
  'Thắng',
  'Lợi',
  'Thành',
  'Nghĩa',
  'Đức',
  'Tiến',
];
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Hữu', 'Quốc', 'Thu', 'Kim', 'Hoài', 'Xuân'];
const GIVEN = [
  'An',
  'Bình',
  'Cường',
  'Dũng',
  'Hà',
  'Hải',
  'Hạnh',
  'Hùng',
  'Hương',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Phong',
  'Phương',
  'Quân',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Tuấn',
  'Việt',
  'Yến',
  'Khoa',
  'Huy',
  'Oanh',
];

const SO_DEPARTMENTS = [
  { code: 'VP', name: 'Văn phòng' },
  { code: 'TCCB', name: 'Phòng Tổ chức cán bộ' },
  { code: 'NV', name: 'Phòng Nghiệp vụ' },
];
const LOCAL_DEPARTMENTS = [
  { code: 'VP', name: 'Văn phòng HĐND và UBND' },
  { code: 'TCKH', name: 'Phòng Tài chính - Kế hoạch' },
  { code: 'NV', name: 'Phòng Nội vụ' },
];
const COMMUNE_DEPARTMENTS = [{ code: 'VP', name: 'Văn phòng - Thống kê' }];

/** A small deterministic generator (mulberry32): the same seed gives the same province. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** How big a province to make; the demo's is 8 districts of 12 or 13 communes. */
export interface ProvinceSize {
  readonly districts: number;
  readonly communesPerDistrict: number;
}

export function generateDemoProvince(seed = 2026, size?: ProvinceSize): DemoProvince {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const agencies: DemoAgency[] = [];
  const provinceCode = `000.00.00.${PROVINCE}`;
  agencies.push({
    code: provinceCode,
    name: `Ủy ban nhân dân tỉnh ${PROVINCE_NAME}`,
    shortName: 'UBND tỉnh',
    notationAbbreviation: 'UBND',
    level: 'province',
    parentCode: null,
    slug: 'ubnd',
    departments: [
      { code: 'VP', name: 'Văn phòng' },
      { code: 'TH', name: 'Phòng Tổng hợp' },
      { code: 'KT', name: 'Phòng Kinh tế' },
      { code: 'KGVX', name: 'Phòng Khoa giáo - Văn xã' },
    ],
  });
  SO.forEach(([name, slug], i) => {
    agencies.push({
      code: `000.00.${pad(i + 1, 2)}.${PROVINCE}`,
      name,
      shortName: name.startsWith('Sở ') ? `Sở ${initials(name.slice(3))}` : initials(name),
      notationAbbreviation: SO_NOTATIONS[slug] ?? (name.startsWith('Sở ') ? `S${initials(name.slice(3))}` : initials(name)),
      level: 'province',
      parentCode: provinceCode,
      slug,
      departments: SO_DEPARTMENTS,
    });
  });
  const districts = [...DISTRICTS];
  if (size && (size.districts < 1 || size.districts > 68 || size.communesPerDistrict < 1 || size.communesPerDistrict > 99)) {
    throw new RangeError('A province has 1 to 68 districts of 1 to 99 communes (agency codes have two digits for each).');
  }
  // Larger provinces (the benchmark's) get districts named like the communes.
  while (size && districts.length < size.districts) {
    const place = `${pick(PLACE_WORDS)} ${pick(PLACE_WORDS)}`;
    if (districts.some(([name]) => name.endsWith(place))) continue;
    districts.push([`Huyện ${place}`, `h${districts.length + 1}`]);
  }
  districts.slice(0, size?.districts ?? DISTRICTS.length).forEach(([name, slug], d) => {
    const groupCode = pad(31 + d, 2);
    const districtCode = `000.00.${groupCode}.${PROVINCE}`;
    agencies.push({
      code: districtCode,
      name: `Ủy ban nhân dân ${name.charAt(0).toLowerCase()}${name.slice(1)}`,
      shortName: `UBND ${name.replace(/^(Thành phố|Thị xã|Huyện) /, '')}`,
      notationAbbreviation: 'UBND',
      level: 'district',
      parentCode: provinceCode,
      slug,
      departments: LOCAL_DEPARTMENTS,
    });
    const communes = size?.communesPerDistrict ?? 12 + (d % 2);
    const used = new Set<string>();
    for (let c = 1; c <= communes; c++) {
      let place: string;
      do place = `${pick(PLACE_WORDS)} ${pick(PLACE_WORDS)}`;
      while (used.has(place) || place.split(' ')[0] === place.split(' ')[1]);
      used.add(place);
      const kind = name.startsWith('Thành phố') || (name.startsWith('Thị xã') && c <= 6) ? 'Phường' : 'Xã';
      agencies.push({
        code: `000.${pad(c, 2)}.${groupCode}.${PROVINCE}`,
        name: `Ủy ban nhân dân ${kind.toLowerCase()} ${place}`,
        shortName: `UBND ${kind.toLowerCase()} ${place}`,
        notationAbbreviation: 'UBND',
        level: 'commune',
        parentCode: districtCode,
        slug: `${slug}.${pad(c, 2)}`,
        departments: COMMUNE_DEPARTMENTS,
      });
    }
  });

  const users: DemoUser[] = [];
  const person = () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
  for (const a of agencies) {
    const office = a.departments[0]!.code;
    const specialist = a.departments[a.departments.length - 1]!.code;
    const staff: [string, Role[], string, string | null][] =
      a.level === 'commune'
        ? [
            ['vt', ['clerk', 'administrator'], 'Văn thư', office],
            ['cv', ['officer'], 'Công chức', office],
            ['ld', ['agency_leader', 'department_leader'], 'Chủ tịch', null],
          ]
        : [
            ['vt', ['clerk'], 'Văn thư', office],
            ['cv', ['officer'], 'Chuyên viên', specialist],
            ['tp', ['department_leader'], 'Trưởng phòng', specialist],
            // Heads the office, whose check of form and procedure comes before the signer (the approval chain).
            ['cvp', ['department_leader'], 'Chánh Văn phòng', office],
            ['ld', ['agency_leader'], a.slug === 'ubnd' || a.level === 'district' ? 'Chủ tịch' : 'Giám đốc', null],
            ['qt', ['administrator'], 'Quản trị hệ thống', office],
          ];
    for (const [prefix, roles, position, departmentCode] of staff) {
      const username = `${prefix}.${a.slug}`;
      users.push({
        username,
        fullName: person(),
        email: `${username}@binhan.gov.vn`,
        memberships: [{ agencyCode: a.code, departmentCode, roles, position }],
      });
    }
  }
  users.push({
    username: 'kiemnhiem',
    fullName: person(),
    email: 'kiemnhiem@binhan.gov.vn',
    memberships: [
      { agencyCode: provinceCode, departmentCode: 'TH', roles: ['officer'], position: 'Chuyên viên' },
      { agencyCode: `000.00.04.${PROVINCE}`, departmentCode: 'NV', roles: ['department_leader'], position: 'Phó Trưởng phòng' },
    ],
  });
  return { agencies, users };
}

function initials(words: string): string {
  return words
    .replace(/[,-]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .filter((w) => w !== 'và')
    .map((w) => w.charAt(0).toUpperCase())
    .join('');
}
