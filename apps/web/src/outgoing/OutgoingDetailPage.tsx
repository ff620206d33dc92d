import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Drawer,
  Input,
  List,
  Modal,
  Result,
  Row,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { PdfViewer } from '../incoming/PdfViewer';
import { UrgencyTag } from '../incoming/tags';
import { dateTime, dmy, useIncomingText } from '../incoming/texts';
import { DraftConsultations } from './Consultations';
import { DraftForm } from './DraftForm';
import {
  outgoingFileUrl,
  useOutgoing,
  useOutgoingAction,
  useVersion,
  type OutgoingAction,
  type OutgoingDetail,
  type OutgoingFile,
  type VersionContent,
} from './model';
import { OutgoingStateTag, SameDayTag } from './tags';
import { useOutgoingText } from './texts';
import { DossiersOfDocument } from '../dossiers/FileIntoDossier';

/** Actions that need a reason or take an optional comment, asked for in a dialog. */
const NEEDS_TEXT: readonly OutgoingAction[] = ['return_review', 'return_signature', 'recall', 'cancel'];
const TAKES_COMMENT: readonly OutgoingAction[] = ['approve_review', 'approve'];

/** The PDF a reader should look at: the issued one, else the signed one, else the one to be signed. */
function currentPdf(doc: OutgoingDetail): OutgoingFile | undefined {
  for (const role of ['issued', 'signed', 'pdf'] as const) {
    const f = doc.files.find((x) => x.role === role);
    if (f) return f;
  }
  return doc.files.find((f) => f.role === 'main' && f.contentType === 'application/pdf');
}

/** One outgoing document: what it says, where it stands in its chain, its files and versions, and what I may do. */
export function OutgoingDetailPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const agencyId = me.currentAgencyId;
  const doc = useOutgoing(agencyId, id);
  const { pick } = useI18n();
  const { tx } = useOutgoingText();
  const navigate = useNavigate();
  const [editing, setEditing] = useState<'version' | 'amend' | null>(null);
  if (doc.isPending) return <Spin />;
  if (doc.isError) return <Result status="warning" title={errorText(doc.error, pick)} extra={<Link to="/outgoing">{tx('back')}</Link>} />;
  const d = doc.data;
  const pdf = currentPdf(d);
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/outgoing">‹ {tx('back')}</Link>
      <Space wrap size={8}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="outgoing-title">
          {d.number ? `${d.number}/${d.notation ?? ''}` : d.documentType}
        </Typography.Title>
        <OutgoingStateTag state={d.state} />
        <UrgencyTag urgency={d.urgency} />
        {d.sameDay && <SameDayTag value={d.sameDay} />}
      </Space>
      <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>{d.subject}</Typography.Paragraph>
      <Actions agencyId={agencyId} doc={d} onEdit={() => setEditing('version')} />
      {d.state === 'issued' && d.drafterId === me.user.id && (
        <Button style={{ alignSelf: 'flex-start' }} onClick={() => setEditing('amend')}>
          {tx('amendOrReplace')}
        </Button>
      )}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Facts doc={d} />
            {pdf && (
              <Card size="small" title={pdf.name}>
                <PdfViewer url={outgoingFileUrl(agencyId, d.id, pdf.position)} />
              </Card>
            )}
            <Files agencyId={agencyId} doc={d} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Chain doc={d} />
            <DossiersOfDocument agencyId={agencyId} kind="outgoing" documentId={d.id} />
            <DraftConsultations
              agencyId={agencyId}
              id={d.id}
              canAsk={d.drafterId === me.user.id && ['draft', 'in_review', 'reviewed'].includes(d.state)}
            />
            <Versions agencyId={agencyId} doc={d} />
            <History doc={d} />
          </Space>
        </Col>
      </Row>
      <Drawer
        title={editing === 'amend' ? tx('amendOrReplace') : tx('saveVersion')}
        open={editing !== null}
        onClose={() => setEditing(null)}
        width={760}
        destroyOnHidden
      >
        {editing === 'amend' ? (
          <DraftForm
            me={me}
            amending={d}
            onSaved={(newId) => {
              setEditing(null);
              navigate(`/outgoing/${newId}`);
            }}
          />
        ) : (
          <DraftForm me={me} doc={d} onSaved={() => setEditing(null)} />
        )}
      </Drawer>
    </Space>
  );
}

function Actions({ agencyId, doc, onEdit }: { agencyId: string; doc: OutgoingDetail; onEdit: () => void }) {
  const { tx, action: label } = useOutgoingText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const act = useOutgoingAction(agencyId, doc.id);
  const [asking, setAsking] = useState<OutgoingAction | null>(null);
  const [text, setText] = useState('');
  const [signing, setSigning] = useState(false);
  // Saving a version is the edit form.
  const offered = doc.actions.filter((a) => a !== 'save_version');
  const run = (action: OutgoingAction, extra: { text?: string; sha256?: string } = {}) =>
    act.mutate(
      { action, ...extra },
      {
        onSuccess: (r) => {
          setAsking(null);
          setSigning(false);
          setText('');
          if (action === 'sign') message.success(tx('signedOk'));
          else if (action === 'number') message.success(tx('numberedOk', { code: `${r.number ?? ''}/${r.notation ?? ''}` }));
          else if (action === 'issue') message.success(tx('issuedOk'));
          else message.success(label(action));
        },
      },
    );
  if (offered.length === 0 && !doc.actions.includes('save_version')) return null;
  return (
    <>
      <Space wrap>
        {doc.actions.includes('save_version') && <Button onClick={onEdit}>{tx('saveVersion')}</Button>}
        {offered.map((a) => (
          <Button
            key={a}
            type={
              ['sign', 'number', 'issue', 'approve', 'approve_review', 'submit_signature', 'submit_review'].includes(a)
                ? 'primary'
                : 'default'
            }
            danger={a === 'cancel'}
            loading={act.isPending && act.variables?.action === a}
            onClick={() => {
              if (a === 'sign') setSigning(true);
              else if (NEEDS_TEXT.includes(a) || TAKES_COMMENT.includes(a)) setAsking(a);
              else run(a);
            }}
          >
            {label(a)}
          </Button>
        ))}
      </Space>
      {act.isError && !asking && !signing && <Alert type="error" showIcon message={errorText(act.error, pick)} />}
      <Modal
        open={asking !== null}
        title={asking ? label(asking) : ''}
        okText={tx('confirm')}
        onCancel={() => setAsking(null)}
        okButtonProps={{ disabled: asking !== null && NEEDS_TEXT.includes(asking) && !text.trim(), loading: act.isPending }}
        onOk={() => asking && run(asking, text.trim() ? { text: text.trim() } : {})}
        destroyOnHidden
      >
        <Input.TextArea
          aria-label={tx('reason')}
          placeholder={tx('reason')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 3 }}
        />
        {act.isError && <Alert type="error" showIcon message={errorText(act.error, pick)} style={{ marginTop: 8 }} />}
      </Modal>
      {doc.toSign && (
        <Modal
          open={signing}
          title={tx('signTitle')}
          width={820}
          okText={label('sign')}
          onCancel={() => setSigning(false)}
          okButtonProps={{ loading: act.isPending, 'data-testid': 'confirm-sign' } as never}
          onOk={() => run('sign', { sha256: doc.toSign!.sha256 })}
          destroyOnHidden
        >
          <Typography.Paragraph>{tx('signExplain')}</Typography.Paragraph>
          <Typography.Paragraph code copyable data-testid="sign-digest">
            {doc.toSign.sha256}
          </Typography.Paragraph>
          <PdfViewer url={outgoingFileUrl(agencyId, doc.id, doc.toSign.position)} />
          {act.isError && <Alert type="error" showIcon message={errorText(act.error, pick)} style={{ marginTop: 8 }} />}
        </Modal>
      )}
    </>
  );
}

function Facts({ doc }: { doc: OutgoingDetail }) {
  const { tx, classification } = useOutgoingText();
  const { status } = useIncomingText();
  return (
    <Descriptions size="small" column={1} bordered>
      <Descriptions.Item label={tx('documentType')}>{doc.documentType}</Descriptions.Item>
      {doc.classification !== 'none' && (
        <Descriptions.Item label={tx('classification')}>{classification(doc.classification)}</Descriptions.Item>
      )}
      {doc.inReplyTo && (
        <Descriptions.Item label={tx('answers')}>
          <Link to={`/incoming/${doc.inReplyTo}`}>{tx('view')}</Link>
          {doc.completesIncoming ? ` · ${tx('completesIncoming')}` : ''}
        </Descriptions.Item>
      )}
      {doc.amends && (
        <Descriptions.Item label={tx('amendsThis', { kind: doc.amends.kind === 'amend' ? tx('amend') : tx('replace') })}>
          <Link to={`/outgoing/${doc.amends.id}`}>{doc.amends.reason}</Link>
        </Descriptions.Item>
      )}
      <Descriptions.Item label={tx('recipients')}>
        {doc.recipients.map((r) => (
          <div key={r.code} data-testid="recipient-status">
            {r.name} <Typography.Text type="secondary">({r.code})</Typography.Text>{' '}
            <Tag color={r.channel === 'hub' && doc.hubDelivery?.state === 'refused' ? 'red' : undefined}>
              {r.channel === 'hub' ? `${tx('hub')}${doc.hubDelivery ? ` · ${tx(`hub_${doc.hubDelivery.state}`)}` : ''}` : tx('internal')}
            </Tag>
            {doc.state === 'issued' && r.statuses.length === 0 && <Typography.Text type="secondary">{tx('noStatus')}</Typography.Text>}
            {/* Every answer in order, the reason of a refusal with it. */}
            {r.statuses.map((s, i) => (
              <Tag key={i} color={s.status === '02' || s.status === '16' ? 'red' : 'blue'} title={dateTime(s.at)}>
                {s.status} · {status(s.status)}
                {s.description ? `: ${s.description}` : ''}
              </Tag>
            ))}
          </div>
        ))}
        {doc.recallRequestedAt && (
          <Typography.Text type="warning">{tx('recallAsked', { at: dateTime(doc.recallRequestedAt) })}</Typography.Text>
        )}
      </Descriptions.Item>
      {doc.replyDue && <Descriptions.Item label={tx('replyDue')}>{dmy(doc.replyDue)}</Descriptions.Item>}
      {doc.signedAt && <Descriptions.Item label={tx('signedAtLabel')}>{dateTime(doc.signedAt)}</Descriptions.Item>}
      {doc.issueDate && <Descriptions.Item label={tx('issuedDate')}>{dmy(doc.issueDate)}</Descriptions.Item>}
    </Descriptions>
  );
}

function Files({ agencyId, doc }: { agencyId: string; doc: OutgoingDetail }) {
  const { tx, fileRole } = useOutgoingText();
  return (
    <Card size="small" title={tx('files')}>
      <List
        size="small"
        dataSource={doc.files}
        renderItem={(f) => (
          <List.Item
            actions={[
              <a key="v" href={outgoingFileUrl(agencyId, doc.id, f.position)} target="_blank" rel="noreferrer">
                {tx('view')}
              </a>,
              <a key="d" href={outgoingFileUrl(agencyId, doc.id, f.position, true)}>
                {tx('download')}
              </a>,
            ]}
          >
            <List.Item.Meta title={f.name} description={`${fileRole(f.role)} · ${(f.size / 1024).toFixed(0)} KB`} />
          </List.Item>
        )}
      />
    </Card>
  );
}

function Chain({ doc }: { doc: OutgoingDetail }) {
  const { tx } = useOutgoingText();
  if (doc.approvals.length === 0) return null;
  const current = doc.approvals.findIndex((a) => a.decision === null);
  return (
    <Card size="small" title={tx('chain')}>
      <Steps
        direction="vertical"
        size="small"
        current={current === -1 ? doc.approvals.length : current}
        items={doc.approvals.map((a) => ({
          title: `${a.kind === 'sign' ? tx('signStep') : tx('check')}: ${a.who}`,
          status: a.decision === 'returned' ? 'error' : a.decision ? 'finish' : undefined,
          description: a.decidedBy ? `${a.decidedBy} · ${dateTime(a.decidedAt!)}${a.comment ? ` · ${a.comment}` : ''}` : undefined,
        }))}
      />
    </Card>
  );
}

type FieldKey = 'documentType' | 'subject' | 'urgency' | 'classification' | 'replyDue' | 'recipients' | 'files';

/** The differences between two saved versions, field by field. */
function differences(a: VersionContent, b: VersionContent): { field: FieldKey; before: string; after: string }[] {
  const show: Record<FieldKey, (v: VersionContent) => string> = {
    documentType: (v: VersionContent) => v.documentType,
    subject: (v: VersionContent) => v.subject,
    urgency: (v: VersionContent) => v.urgency,
    classification: (v: VersionContent) => v.classification,
    replyDue: (v: VersionContent) => v.replyDue ?? '',
    recipients: (v: VersionContent) => v.recipients.map((r) => r.name).join('; '),
    files: (v: VersionContent) => v.files.map((f) => `${f.name} (${f.sha256.slice(0, 8)})`).join('; '),
  };
  return Object.entries(show)
    .map(([field, f]) => ({ field: field as FieldKey, before: f(a), after: f(b) }))
    .filter((d) => d.before !== d.after);
}

function Versions({ agencyId, doc }: { agencyId: string; doc: OutgoingDetail }) {
  const { tx } = useOutgoingText();
  const [pair, setPair] = useState<[number, number] | null>(null);
  const older = useVersion(agencyId, doc.id, pair?.[0] ?? null);
  const newer = useVersion(agencyId, doc.id, pair?.[1] ?? null);
  const diff = older.data && newer.data ? differences(older.data.content, newer.data.content) : null;
  return (
    <Card size="small" title={tx('versions')}>
      <List
        size="small"
        dataSource={doc.versions}
        renderItem={(v) => (
          <List.Item
            actions={
              v.version > 1
                ? [
                    <Button key="c" size="small" type="link" onClick={() => setPair([v.version - 1, v.version])}>
                      {tx('compare')} v{v.version - 1}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta title={`v${v.version} · ${v.savedBy}`} description={`${dateTime(v.savedAt)}${v.note ? ` · ${v.note}` : ''}`} />
          </List.Item>
        )}
      />
      {pair && (
        <Spin spinning={older.isPending || newer.isPending}>
          {diff && diff.length === 0 && <Typography.Text type="secondary">{tx('unchanged')}</Typography.Text>}
          {diff && diff.length > 0 && (
            <div data-testid="version-diff">
              <Table
                size="small"
                rowKey="field"
                pagination={false}
                dataSource={diff}
                columns={[
                  { title: tx('field'), dataIndex: 'field', width: 110, render: (f: FieldKey) => tx(f) },
                  { title: `v${pair[0]}`, dataIndex: 'before', render: (t: string) => <Typography.Text delete>{t}</Typography.Text> },
                  { title: `v${pair[1]}`, dataIndex: 'after', render: (t: string) => <Typography.Text mark>{t}</Typography.Text> },
                ]}
              />
            </div>
          )}
        </Spin>
      )}
    </Card>
  );
}

function History({ doc }: { doc: OutgoingDetail }) {
  const { tx, event } = useOutgoingText();
  const { event: incomingEvent } = useIncomingText();
  return (
    <Card size="small" title={tx('history')}>
      <Timeline
        items={doc.timeline.map((e) => ({
          children: (
            <>
              <Typography.Text strong>{event(e.action) === e.action ? incomingEvent(e.action) : event(e.action)}</Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {dateTime(e.at)}
                  {e.actor ? ` · ${e.actor}` : ''}
                </Typography.Text>
              </div>
              {typeof e.details.comment === 'string' && <div>{e.details.comment}</div>}
            </>
          ),
        }))}
      />
    </Card>
  );
}
