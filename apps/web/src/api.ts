/** The office API as the browser sees it: same origin, session cookie, JSON errors in two languages. */

export type Role = 'clerk' | 'officer' | 'department_leader' | 'agency_leader' | 'administrator';
export const ROLES: readonly Role[] = ['clerk', 'officer', 'department_leader', 'agency_leader', 'administrator'];

export interface Bilingual {
  vi: string;
  en: string;
}

export interface Membership {
  agencyId: string;
  agencyCode: string;
  agencyName: string;
  departmentId: string | null;
  departmentName: string | null;
  roles: Role[];
  position: string | null;
}

export interface Me {
  user: { id: string; username: string; fullName: string; email: string | null; totpEnabled: boolean };
  memberships: Membership[];
  currentAgencyId: string;
}

export interface Agency {
  id: string;
  code: string;
  name: string;
  shortName: string;
  notationAbbreviation: string | null;
  level: string;
  parentId: string | null;
  childCount: number;
}

export interface Level {
  code: string;
  nameVi: string;
  nameEn: string;
  rank: number;
}

export interface Department {
  id: string;
  agencyId: string;
  code: string;
  name: string;
}

export interface AgencyUser {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  departmentId: string | null;
  departmentName: string | null;
  roles: Role[];
  position: string | null;
  locked: boolean;
}

/** The seal image an agency's visible signature shows. */
export interface Seal {
  mediaType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  size: number;
  sha256: string;
  updatedAt: string;
}

/** A certificate the agency (kind agency) or one of its signers signs with. */
export interface Credential {
  id: string;
  kind: 'agency' | 'signer';
  user: { id: string; username: string; fullName: string } | null;
  commonName: string;
  subject: string;
  issuerName: string;
  serial: string;
  agencyCode: string | null;
  notBefore: string;
  notAfter: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface RejectedRow {
  line: number;
  errors: { field: string; vi: string; en: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly details: unknown,
  ) {
    super(text.en);
  }

  /** Rows of a rejected CSV import, when this error is one. */
  get rejectedRows(): RejectedRow[] {
    const details = this.details as { rejected?: RejectedRow[] } | undefined;
    return this.code === 'import_rejected' && Array.isArray(details?.rejected) ? details.rejected : [];
  }
}

function isErrorBody(body: unknown): body is { error: { code: string; message: Bilingual; details?: unknown } } {
  const error = (body as { error?: { code?: unknown; message?: { vi?: unknown } } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message?.vi === 'string';
}

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, 'network', { vi: 'Không kết nối được máy chủ.', en: 'The server cannot be reached.' }, undefined);
  }
  if (response.status === 204) return undefined as T;
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    if (isErrorBody(data)) throw new ApiError(response.status, data.error.code, data.error.message, data.error.details);
    throw new ApiError(
      response.status,
      'http_' + response.status,
      { vi: `Lỗi máy chủ (${response.status}).`, en: `Server error (${response.status}).` },
      data,
    );
  }
  return data as T;
}

export function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
