import { useQuery } from '@tanstack/react-query';
import { api, query } from '../api';

/** The figures of a report, as the office counts them (see apps/office/src/reports). */
export interface Figures {
  received: number;
  receivedHub: number;
  receivedInternal: number;
  receivedPaper: number;
  receivedNational: number;
  receivedProvince: number;
  receivedSigned: number;
  refused: number;
  withdrawn: number;
  onTime: number;
  late: number;
  overdue: number;
  completed: number;
  averageHandlingDays: number | null;
  issued: number;
  sentProvince: number;
  sentNational: number;
  sameDayCompliant: number;
  sameDayLate: number;
  sameDayPending: number;
  sameDayPercent: number | null;
}

export type Row = Figures & { id: string; name: string };

export interface ReportPeriod {
  from: string;
  to: string;
  labelVi: string;
  labelEn: string;
  bucket: 'day' | 'month';
}

interface Report {
  period: ReportPeriod;
  generatedAt: string;
  totals: Figures;
  previous: Figures;
  series: (Figures & { bucket: string })[];
}

export interface AgencyReport extends Report {
  agency: { id: string; code: string; name: string };
  byDepartment: Row[];
  byPerson: Row[];
}

export interface ProvinceReport extends Report {
  byLevel: (Row & { agencies: number })[];
  byAgency: (Row & { code: string; level: string })[];
}

export interface PersonalReport {
  person: { id: string; name: string };
  period: ReportPeriod;
  generatedAt: string;
  figures: Figures;
  previous: Figures;
}

export type PeriodKind = 'month' | 'quarter' | 'year' | 'range';

/** What the period picker holds: the kind, and the fields of that kind. */
export interface PeriodChoice {
  kind: PeriodKind;
  year: number;
  month: number;
  quarter: number;
  from: string;
  to: string;
}

export function periodQuery(p: PeriodChoice): Record<string, string | number> {
  switch (p.kind) {
    case 'month':
      return { kind: 'month', year: p.year, month: p.month };
    case 'quarter':
      return { kind: 'quarter', year: p.year, quarter: p.quarter };
    case 'year':
      return { kind: 'year', year: p.year };
    case 'range':
      return { kind: 'range', from: p.from, to: p.to };
  }
}

export function useAgencyReport(agencyId: string, period: PeriodChoice) {
  const params = periodQuery(period);
  return useQuery({
    queryKey: ['reports', 'agency', agencyId, params],
    queryFn: () => api<AgencyReport>('GET', `/agencies/${agencyId}/reports${query(params)}`),
  });
}

export function useMyReport(agencyId: string, period: PeriodChoice) {
  const params = periodQuery(period);
  return useQuery({
    queryKey: ['reports', 'mine', agencyId, params],
    queryFn: () => api<PersonalReport>('GET', `/agencies/${agencyId}/reports/mine${query(params)}`),
  });
}

export function useProvinceReport(period: PeriodChoice, enabled: boolean) {
  const params = periodQuery(period);
  return useQuery({
    queryKey: ['reports', 'province', params],
    queryFn: () => api<ProvinceReport>('GET', `/reports/province${query(params)}`),
    enabled,
  });
}

export function useReportAccess() {
  return useQuery({ queryKey: ['reports', 'access'], queryFn: () => api<{ province: boolean }>('GET', '/reports/access') });
}

/** Where the XLSX or PDF of a report is downloaded: same origin, the session cookie goes with it. */
export function fileUrl(agencyId: string | null, period: PeriodChoice, format: 'xlsx' | 'pdf'): string {
  const base = agencyId ? `/api/agencies/${agencyId}/reports/file` : '/api/reports/province/file';
  return `${base}${query({ ...periodQuery(period), format })}`;
}
