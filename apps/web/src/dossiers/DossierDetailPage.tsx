import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Radio,
  Result,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { Link, useParams } from 'react-router-dom';
import type { Me } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { dateTime, dmy } from '../incoming/texts';
import { vnToday } from './DossiersPage';
import {
  itemFileUrl,
  packageUrl,
  useAppraise,
  useDossier,
  useDossierAction,
  useDossierTimeline,
  useRemoveItem,
  useUploadToDossier,
  type DossierDetail,
} from './model';
import { useDossierText } from './texts';

/** One dossier: what it is, what it holds, what happened to it, and what I may do with it. */
export function DossierDetailPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const agencyId = me.currentAgencyId;
  const dossier = useDossier(agencyId, id);
  const { pick } = useI18n();
  const { tx, state } = useDossierText();
  if (dossier.isPending) return <Spin />;
  if (dossier.isError)
    return <Result status="warning" title={errorText(dossier.error, pick)} extra={<Link to="/dossiers">{tx('back')}</Link>} />;
  const d = dossier.data;
  const s = state(d.state);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/dossiers">‹ {tx('back')}</Link>
      <Space wrap size={8}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="dossier-code">
          {d.code}
        </Typography.Title>
        <Tag color={s.color} data-testid="dossier-state">
          {s.label}
        </Tag>
      </Space>
      <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>{d.title}</Typography.Paragraph>
      <Actions agencyId={agencyId} d={d} />
      <Facts agencyId={agencyId} d={d} />
      <Contents agencyId={agencyId} d={d} />
      <History agencyId={agencyId} id={d.id} />
    </Space>
  );
}

function Facts({ agencyId, d }: { agencyId: string; d: DossierDetail }) {
  const { tx, retention } = useDossierText();
  return (
    <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }}>
      <Descriptions.Item label={tx('plan')}>
        {d.planYear} · {d.entryTitle}
        {d.heading ? ` (${d.heading})` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={tx('retention')}>{retention(d.retentionYears)}</Descriptions.Item>
      <Descriptions.Item label={tx('responsible')}>{d.responsible.name}</Descriptions.Item>
      {d.departmentName && <Descriptions.Item label={tx('department')}>{d.departmentName}</Descriptions.Item>}
      <Descriptions.Item label={tx('startDate')}>{dmy(d.startDate)}</Descriptions.Item>
      {d.endDate && <Descriptions.Item label={tx('endDate')}>{dmy(d.endDate)}</Descriptions.Item>}
      {d.pageCount !== null && <Descriptions.Item label={tx('pageCount')}>{d.pageCount}</Descriptions.Item>}
      {d.documentCount !== null && <Descriptions.Item label={tx('documentCount')}>{d.documentCount}</Descriptions.Item>}
      {d.transferDeadline && <Descriptions.Item label={tx('deadline')}>{dmy(d.transferDeadline)}</Descriptions.Item>}
      {d.keepUntilYear !== null && <Descriptions.Item label={tx('keepUntil')}>{d.keepUntilYear}</Descriptions.Item>}
      {d.transfer && (
        <Descriptions.Item label={tx('toTransfer')}>
          <Space direction="vertical" size={0} style={{ minWidth: 0 }}>
            <span>{tx('transferInfo', { at: dateTime(d.transfer.at), by: d.transfer.by })}</span>
            <Typography.Text code style={{ wordBreak: 'break-all', fontSize: 12 }}>
              {tx('packageSha')}: {d.transfer.sha256}
            </Typography.Text>
            {d.state === 'transferred' && <a href={packageUrl(agencyId, d.transfer.id)}>{tx('download')}</a>}
          </Space>
        </Descriptions.Item>
      )}
      {d.appraisals.map((a, i) => (
        <Descriptions.Item key={i} label={tx('decisions')}>
          {a.decision === 'keep' ? `${tx('keep')} ${a.extraYears}` : tx('destroy')} · {a.by} · {dateTime(a.at)} — {a.reason} ({a.legalBasis}
          )
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}

function Contents({ agencyId, d }: { agencyId: string; d: DossierDetail }) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const remove = useRemoveItem(agencyId, d.id);
  const upload = useUploadToDossier(agencyId, d.id);
  const mayFile = d.actions.includes('file');
  const kinds = { incoming: tx('incoming'), outgoing: tx('outgoing'), file: tx('file') };
  return (
    <Card
      size="small"
      title={tx('contents')}
      extra={
        mayFile && (
          <Upload
            showUploadList={false}
            customRequest={({ file }) => upload.mutate(file as File, { onError: (e) => void message.error(errorText(e, pick)) })}
          >
            <Button size="small" loading={upload.isPending}>
              {tx('upload')}
            </Button>
          </Upload>
        )
      }
    >
      <List
        dataSource={d.items}
        data-testid="dossier-items"
        renderItem={(item) => (
          <List.Item
            actions={
              d.actions.includes('remove')
                ? [
                    <Button key="rm" size="small" danger loading={remove.isPending} onClick={() => remove.mutate(item.position)}>
                      {tx('remove')}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <Tag>{kinds[item.kind]}</Tag>
                  {item.kind === 'file' ? (
                    d.state === 'destroyed' ? (
                      item.label
                    ) : (
                      <a href={itemFileUrl(agencyId, d.id, item.position)}>{item.label}</a>
                    )
                  ) : (
                    <Link to={`/${item.kind}/${item.documentId}`}>{item.label || item.subject}</Link>
                  )}
                </Space>
              }
              description={
                <span>
                  {item.subject ? `${item.subject} · ` : ''}
                  {item.addedBy} · {dateTime(item.addedAt)}
                </span>
              }
            />
          </List.Item>
        )}
      />
    </Card>
  );
}

function Actions({ agencyId, d }: { agencyId: string; d: DossierDetail }) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const act = useDossierAction(agencyId, d.id);
  const appraise = useAppraise(agencyId, d.id);
  const [dialog, setDialog] = useState<'close' | 'reopen' | 'appraise' | null>(null);
  const [form] = Form.useForm();
  const decision = Form.useWatch('decision', form) as 'keep' | 'destroy' | undefined;
  const fail = (e: unknown) => void message.error(errorText(e, pick));
  const done = { onSuccess: () => setDialog(null), onError: fail };
  const submit = () =>
    void form.validateFields().then((v: Record<string, string | number>) => {
      if (dialog === 'close') act.mutate({ action: 'close', endDate: String(v.endDate), pageCount: Number(v.pageCount) }, done);
      else if (dialog === 'reopen') act.mutate({ action: 'reopen', reason: String(v.reason) }, done);
      else if (v.decision === 'keep')
        appraise.mutate(
          { decision: 'keep', extraYears: Number(v.extraYears), reason: String(v.reason), legalBasis: String(v.legalBasis) },
          done,
        );
      else appraise.mutate({ decision: 'destroy', reason: String(v.reason), legalBasis: String(v.legalBasis) }, done);
    });
  const shown = (['close', 'reopen', 'appraise'] as const).filter((a) => d.actions.includes(a));
  if (shown.length === 0) return null;
  return (
    <Space wrap>
      {shown.map((a) => (
        <Button key={a} type={a === 'close' ? 'primary' : 'default'} onClick={() => setDialog(a)}>
          {a === 'close' ? tx('close') : a === 'reopen' ? tx('reopen') : tx('decide')}
        </Button>
      ))}
      <Modal
        title={dialog === 'close' ? tx('close') : dialog === 'reopen' ? tx('reopen') : tx('decide')}
        open={dialog !== null}
        onCancel={() => setDialog(null)}
        onOk={submit}
        confirmLoading={act.isPending || appraise.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{ endDate: vnToday(), pageCount: d.items.length, decision: 'keep', extraYears: 5 }}
        >
          {dialog === 'close' && (
            <>
              <Form.Item name="endDate" label={tx('endDate')} rules={[{ required: true }]}>
                <Input type="date" min={d.startDate} max={vnToday()} />
              </Form.Item>
              <Form.Item name="pageCount" label={tx('pageCount')} rules={[{ required: true }]}>
                <InputNumber min={0} />
              </Form.Item>
            </>
          )}
          {dialog === 'appraise' && (
            <>
              <Form.Item name="decision">
                <Radio.Group
                  options={[
                    { value: 'keep', label: tx('keep') },
                    { value: 'destroy', label: tx('destroy') },
                  ]}
                />
              </Form.Item>
              {decision !== 'destroy' && (
                <Form.Item name="extraYears" label={tx('extraYears')} rules={[{ required: true }]}>
                  <InputNumber min={1} max={100} />
                </Form.Item>
              )}
              <Form.Item name="legalBasis" label={tx('legalBasis')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
                <Input.TextArea autoSize />
              </Form.Item>
            </>
          )}
          {dialog !== 'close' && (
            <Form.Item name="reason" label={tx('reason')} rules={[{ required: true, whitespace: true, max: 2000 }]}>
              <Input.TextArea autoSize />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </Space>
  );
}

function History({ agencyId, id }: { agencyId: string; id: string }) {
  const { tx, event } = useDossierText();
  const timeline = useDossierTimeline(agencyId, id);
  return (
    <Card size="small" title={tx('timeline')}>
      <Timeline
        items={(timeline.data?.items ?? []).map((e) => ({
          children: (
            <span>
              <b>{event(e.action)}</b> · {e.actor?.name ?? ''} · {dateTime(e.at)}
              {typeof e.details.reason === 'string' ? ` — ${e.details.reason}` : ''}
              {typeof e.details.name === 'string' ? ` — ${e.details.name}` : ''}
            </span>
          ),
        }))}
      />
    </Card>
  );
}
