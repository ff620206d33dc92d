import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, DatePicker, Empty, Result, Row, Segmented, Space, Spin, Table, Tabs, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import type { Me } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { EChart, type ChartOption } from './EChart';
import {
  fileUrl,
  useAgencyReport,
  useMyReport,
  useProvinceReport,
  useReportAccess,
  type Figures,
  type PeriodChoice,
  type PeriodKind,
  type Row as FigureRow,
} from './model';
import { useReportText, type ReportTextKey } from './texts';

const WHOLE_AGENCY = ['clerk', 'agency_leader', 'department_leader'];

function thisMonth(): PeriodChoice {
  const now = dayjs();
  const day = now.format('YYYY-MM-DD');
  return { kind: 'month', year: now.year(), month: now.month() + 1, quarter: Math.floor(now.month() / 3) + 1, from: day, to: day };
}

function useNumber() {
  const { lang } = useI18n();
  const locale = lang === 'vi' ? 'vi-VN' : 'en-US';
  return (value: number | null) => (value === null ? '–' : value.toLocaleString(locale, { maximumFractionDigits: 1 }));
}

function PeriodPicker({ value, onChange }: { value: PeriodChoice; onChange: (p: PeriodChoice) => void }) {
  const { tx } = useReportText();
  const anchor =
    value.kind === 'range'
      ? dayjs(value.from)
      : dayjs(new Date(value.year, value.kind === 'quarter' ? (value.quarter - 1) * 3 : value.month - 1, 1));
  const fromDay = (d: Dayjs | null) =>
    d && onChange({ ...value, year: d.year(), month: d.month() + 1, quarter: Math.floor(d.month() / 3) + 1 });
  return (
    <Space wrap>
      <Segmented<PeriodKind>
        value={value.kind}
        onChange={(kind) => onChange({ ...value, kind })}
        options={(['month', 'quarter', 'year', 'range'] as const).map((k) => ({ value: k, label: tx(k) }))}
      />
      {value.kind === 'range' ? (
        <DatePicker.RangePicker
          allowClear={false}
          format="DD/MM/YYYY"
          value={[dayjs(value.from), dayjs(value.to)]}
          onChange={(range) => {
            if (range?.[0] && range[1]) onChange({ ...value, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
          }}
        />
      ) : (
        <DatePicker
          allowClear={false}
          picker={value.kind}
          value={anchor}
          format={value.kind === 'month' ? 'MM/YYYY' : value.kind === 'year' ? 'YYYY' : undefined}
          onChange={fromDay}
        />
      )}
    </Space>
  );
}

/** One key figure: its name (with what it counts on hover), the value, and the previous period's. */
function FigureCard(props: { label: ReportTextKey; help?: ReportTextKey; figure: string; value: string; previous: string }) {
  const { tx } = useReportText();
  const label = <Typography.Text type="secondary">{tx(props.label)}</Typography.Text>;
  return (
    <Card size="small" style={{ height: '100%' }}>
      {props.help ? <Tooltip title={tx(props.help)}>{label}</Tooltip> : label}
      <div style={{ fontSize: 26, fontWeight: 600, lineHeight: 1.3 }} data-figure={props.figure}>
        {props.value}
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tx('previous', { value: props.previous })}
      </Typography.Text>
    </Card>
  );
}

type CardSpec = { figure: keyof Figures; label: ReportTextKey; help?: ReportTextKey; unit?: 'days' | 'percent' };

function FigureCards({ totals, previous, cards }: { totals: Figures; previous: Figures; cards: readonly CardSpec[] }) {
  const { tx } = useReportText();
  const n = useNumber();
  const show = (f: Figures, c: CardSpec) => {
    const value = f[c.figure];
    if (value === null) return '–';
    return c.unit === 'days' ? tx('days', { value: n(value) }) : c.unit === 'percent' ? `${n(value)} %` : n(value);
  };
  return (
    <Row gutter={[12, 12]}>
      {cards.map((c) => (
        <Col key={c.figure} xs={12} sm={8} lg={6} xl={4}>
          <FigureCard label={c.label} help={c.help} figure={c.figure} value={show(totals, c)} previous={show(previous, c)} />
        </Col>
      ))}
    </Row>
  );
}

const AGENCY_CARDS: readonly CardSpec[] = [
  { figure: 'received', label: 'received', help: 'receivedHelp' },
  { figure: 'receivedHub', label: 'hub' },
  { figure: 'receivedInternal', label: 'internal' },
  { figure: 'receivedPaper', label: 'paper' },
  { figure: 'receivedSigned', label: 'signed' },
  { figure: 'issued', label: 'issued', help: 'issuedHelp' },
  { figure: 'onTime', label: 'onTime', help: 'handlingHelp' },
  { figure: 'late', label: 'late', help: 'handlingHelp' },
  { figure: 'overdue', label: 'overdue', help: 'handlingHelp' },
  { figure: 'averageHandlingDays', label: 'average', help: 'averageHelp', unit: 'days' },
  { figure: 'sameDayPercent', label: 'sameDay', help: 'sameDayHelp', unit: 'percent' },
];

const PROVINCE_CARDS: readonly CardSpec[] = [
  { figure: 'received', label: 'received', help: 'receivedHelp' },
  { figure: 'receivedNational', label: 'receivedNational', help: 'nationalHelp' },
  { figure: 'receivedProvince', label: 'receivedProvince', help: 'insideHelp' },
  { figure: 'receivedPaper', label: 'paper' },
  { figure: 'issued', label: 'issued', help: 'issuedHelp' },
  { figure: 'sentNational', label: 'sentNational', help: 'nationalHelp' },
  { figure: 'sentProvince', label: 'sentProvince', help: 'insideHelp' },
  { figure: 'onTime', label: 'onTime', help: 'handlingHelp' },
  { figure: 'late', label: 'late', help: 'handlingHelp' },
  { figure: 'overdue', label: 'overdue', help: 'handlingHelp' },
  { figure: 'averageHandlingDays', label: 'average', help: 'averageHelp', unit: 'days' },
  { figure: 'sameDayPercent', label: 'sameDay', help: 'sameDayHelp', unit: 'percent' },
];

const LEGEND = { bottom: 0, type: 'scroll', itemWidth: 12, itemHeight: 8, itemGap: 8, textStyle: { fontSize: 11 } } as const;

function Charts({ totals, series, bucket }: { totals: Figures; series: (Figures & { bucket: string })[]; bucket: 'day' | 'month' }) {
  const { tx, lang } = useReportText();
  const overTime = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: LEGEND,
      grid: { left: 36, right: 12, top: 16, bottom: 56 },
      xAxis: {
        type: 'category',
        data: series.map((p) => (bucket === 'day' ? dayjs(p.bucket).format('DD/MM') : dayjs(p.bucket).format('MM/YYYY'))),
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', stack: 'received', name: tx('hub'), data: series.map((p) => p.receivedHub) },
        { type: 'bar', stack: 'received', name: tx('internal'), data: series.map((p) => p.receivedInternal) },
        { type: 'bar', stack: 'received', name: tx('paper'), data: series.map((p) => p.receivedPaper) },
        { type: 'line', name: tx('issued'), data: series.map((p) => p.issued), smooth: true },
      ],
    }),
    // Redrawn when the report or the language changes (the series' names are words), not on every render.
    [series, bucket, lang],
  );
  const pie = (data: { name: string; value: number }[]): ChartOption => ({
    tooltip: { trigger: 'item' },
    legend: LEGEND,
    // Zero slices are left out, so that their labels do not pile up on one point.
    series: [
      {
        type: 'pie',
        radius: ['40%', '68%'],
        center: ['50%', '42%'],
        label: { position: 'inside', formatter: '{c}', color: '#fff' },
        data: data.filter((d) => d.value > 0),
      },
    ],
  });
  const open = Math.max(0, totals.received - totals.onTime - totals.late - totals.overdue);
  const handling = useMemo(
    () =>
      pie([
        { name: tx('onTime'), value: totals.onTime },
        { name: tx('late'), value: totals.late },
        { name: tx('overdue'), value: totals.overdue },
        { name: tx('open'), value: open },
      ]),
    [totals, lang],
  );
  const sameDay = useMemo(
    () =>
      pie([
        { name: tx('compliant'), value: totals.sameDayCompliant },
        { name: tx('notCompliant'), value: totals.sameDayLate },
        { name: tx('pending'), value: totals.sameDayPending },
      ]),
    [totals, lang],
  );
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={12}>
        <Card size="small" title={tx('overTime')}>
          <EChart option={overTime} height={280} label={tx('overTime')} />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" title={<Tooltip title={tx('handlingHelp')}>{tx('handling')}</Tooltip>}>
          <EChart option={handling} height={280} label={tx('handling')} />
        </Card>
      </Col>
      <Col xs={24} sm={12} lg={6}>
        <Card size="small" title={<Tooltip title={tx('sameDayHelp')}>{tx('sameDay')}</Tooltip>}>
          <EChart option={sameDay} height={280} label={tx('sameDay')} />
        </Card>
      </Col>
    </Row>
  );
}

/** The province's tables add what a provincial report publishes: exchanged through the national axis and inside. */
const EXCHANGE: readonly [keyof Figures, ReportTextKey][] = [
  ['receivedNational', 'receivedNational'],
  ['receivedProvince', 'receivedProvince'],
  ['sentNational', 'sentNational'],
  ['sentProvince', 'sentProvince'],
];

function FiguresTable<T extends FigureRow>(props: { rows: T[]; first: ColumnsType<T>; testId: string; exchange?: boolean }) {
  const { rows, first, testId } = props;
  const { tx } = useReportText();
  const n = useNumber();
  const figure = (key: keyof Figures, label: ReportTextKey): ColumnsType<T>[number] => ({
    title: tx(label),
    dataIndex: key,
    align: 'right',
    sorter: (a, b) => (a[key] ?? -1) - (b[key] ?? -1),
    render: (v: number | null) => n(v),
  });
  return (
    <Table<T>
      data-testid={testId}
      size="small"
      rowKey="id"
      dataSource={rows}
      // The table scrolls inside its card on a phone; the page itself never scrolls sideways.
      scroll={{ x: 'max-content' }}
      pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      columns={[
        ...first,
        figure('received', 'received'),
        ...(props.exchange ? EXCHANGE.map(([key, label]) => figure(key, label)) : []),
        figure('onTime', 'onTime'),
        figure('late', 'late'),
        figure('overdue', 'overdue'),
        figure('averageHandlingDays', 'average'),
        figure('issued', 'issued'),
        figure('sameDayPercent', 'sameDay'),
      ]}
    />
  );
}

function Exports({ agencyId, period }: { agencyId: string | null; period: PeriodChoice }) {
  const { tx } = useReportText();
  return (
    <Space wrap>
      <Button href={fileUrl(agencyId, period, 'xlsx')} download data-testid="export-xlsx">
        {tx('exportXlsx')}
      </Button>
      <Button href={fileUrl(agencyId, period, 'pdf')} download>
        {tx('exportPdf')}
      </Button>
    </Space>
  );
}

function Heading({ title, label, generatedAt }: { title: string; label: string; generatedAt: string }) {
  const { tx } = useReportText();
  return (
    <div>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      <Typography.Text type="secondary">
        {label} · {tx('generatedAt', { value: dayjs(generatedAt).format('DD/MM/YYYY HH:mm') })}
      </Typography.Text>
    </div>
  );
}

function AgencyDashboard({ agencyId, period }: { agencyId: string; period: PeriodChoice }) {
  const { tx, lang } = useReportText();
  const { pick } = useI18n();
  const report = useAgencyReport(agencyId, period);
  if (report.isPending) return <Spin />;
  if (report.isError) return <Alert type="error" showIcon message={errorText(report.error, pick)} />;
  const r = report.data;
  const nameColumn = <T extends FigureRow>(): ColumnsType<T> => [{ title: tx('name'), dataIndex: 'name', fixed: 'left', width: 160 }];
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="agency-dashboard">
      <Heading title={r.agency.name} label={lang === 'vi' ? r.period.labelVi : r.period.labelEn} generatedAt={r.generatedAt} />
      <Exports agencyId={agencyId} period={period} />
      <FigureCards totals={r.totals} previous={r.previous} cards={AGENCY_CARDS} />
      <Charts totals={r.totals} series={r.series} bucket={r.period.bucket} />
      <Card size="small" title={<Tooltip title={tx('byDepartmentHelp')}>{tx('byDepartment')}</Tooltip>}>
        <FiguresTable rows={r.byDepartment} first={nameColumn()} testId="by-department" />
      </Card>
      <Card size="small" title={<Tooltip title={tx('byPersonHelp')}>{tx('byPerson')}</Tooltip>}>
        {r.byPerson.length ? <FiguresTable rows={r.byPerson} first={nameColumn()} testId="by-person" /> : <Empty />}
      </Card>
    </Space>
  );
}

const MY_CARDS: readonly CardSpec[] = [
  { figure: 'received', label: 'received', help: 'mineHelp' },
  { figure: 'onTime', label: 'onTime', help: 'handlingHelp' },
  { figure: 'late', label: 'late', help: 'handlingHelp' },
  { figure: 'overdue', label: 'overdue', help: 'handlingHelp' },
  { figure: 'averageHandlingDays', label: 'average', help: 'averageHelp', unit: 'days' },
  { figure: 'issued', label: 'issued', help: 'mineHelp' },
  { figure: 'sameDayPercent', label: 'sameDay', help: 'sameDayHelp', unit: 'percent' },
];

function MyDashboard({ agencyId, period }: { agencyId: string; period: PeriodChoice }) {
  const { tx, lang } = useReportText();
  const { pick } = useI18n();
  const report = useMyReport(agencyId, period);
  if (report.isPending) return <Spin />;
  if (report.isError) return <Alert type="error" showIcon message={errorText(report.error, pick)} />;
  const r = report.data;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="my-dashboard">
      <Heading title={r.person.name} label={lang === 'vi' ? r.period.labelVi : r.period.labelEn} generatedAt={r.generatedAt} />
      <Typography.Text type="secondary">{tx('mineHelp')}</Typography.Text>
      <FigureCards totals={r.figures} previous={r.previous} cards={MY_CARDS} />
    </Space>
  );
}

function ProvinceDashboard({ period }: { period: PeriodChoice }) {
  const { tx, lang } = useReportText();
  const { pick } = useI18n();
  const report = useProvinceReport(period, true);
  if (report.isPending) return <Spin />;
  if (report.isError) return <Alert type="error" showIcon message={errorText(report.error, pick)} />;
  const r = report.data;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }} data-testid="province-dashboard">
      <Heading title={tx('provinceTab')} label={lang === 'vi' ? r.period.labelVi : r.period.labelEn} generatedAt={r.generatedAt} />
      <Exports agencyId={null} period={period} />
      <FigureCards totals={r.totals} previous={r.previous} cards={PROVINCE_CARDS} />
      <Charts totals={r.totals} series={r.series} bucket={r.period.bucket} />
      <Card size="small" title={tx('byLevel')}>
        <FiguresTable
          rows={r.byLevel}
          first={[
            { title: tx('name'), dataIndex: 'name', fixed: 'left', width: 120 },
            { title: tx('agencies'), dataIndex: 'agencies', align: 'right' },
          ]}
          testId="by-level"
          exchange
        />
      </Card>
      <Card size="small" title={tx('byAgency')}>
        <FiguresTable
          rows={r.byAgency}
          first={[{ title: tx('name'), dataIndex: 'name', fixed: 'left', width: 180 }]}
          testId="by-agency"
          exchange
        />
      </Card>
    </Space>
  );
}

/** The leaders' dashboard: the agency's figures, and the province's for those who may read them. */
export function ReportsPage({ me }: { me: Me }) {
  const { tx } = useReportText();
  const [period, setPeriod] = useState<PeriodChoice>(thisMonth);
  const access = useReportAccess();
  const membership = me.memberships.find((m) => m.agencyId === me.currentAgencyId);
  const agencyAllowed = membership?.roles.some((r) => WHOLE_AGENCY.includes(r)) ?? false;
  // Any member but one who only administers has work of their own to look at.
  const worksHere = membership?.roles.some((r) => r !== 'administrator') ?? false;
  const provinceAllowed = access.data?.province ?? false;
  if (access.isPending) return <Spin />;
  if (!agencyAllowed && !worksHere && !provinceAllowed) return <Result status="403" title={tx('title')} subTitle={tx('notAllowed')} />;
  const items = [
    ...(agencyAllowed
      ? [{ key: 'agency', label: tx('agencyTab'), children: <AgencyDashboard agencyId={me.currentAgencyId} period={period} /> }]
      : []),
    ...(worksHere ? [{ key: 'mine', label: tx('mineTab'), children: <MyDashboard agencyId={me.currentAgencyId} period={period} /> }] : []),
    ...(provinceAllowed ? [{ key: 'province', label: tx('provinceTab'), children: <ProvinceDashboard period={period} /> }] : []),
  ];
  return (
    <Card styles={{ body: { padding: 12 } }}>
      <Space direction="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {tx('title')}
        </Typography.Title>
        <PeriodPicker value={period} onChange={setPeriod} />
        <Tabs items={items} destroyOnHidden />
      </Space>
    </Card>
  );
}
