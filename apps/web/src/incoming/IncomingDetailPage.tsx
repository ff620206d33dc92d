import { useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, List, Result, Row, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { Me } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { ActionBar, SenderRequestButtons } from './ActionForms';
import { fileUrl, useIncoming, useTimeline, type IncomingDetail, type TimelineEntry } from './model';
import { PdfViewer } from './PdfViewer';
import { StateTag, UrgencyTag, VerdictTag } from './tags';
import { code, dateTime, dmy, localTime, useIncomingText } from './texts';
import { DossiersOfDocument } from '../dossiers/FileIntoDossier';

/** One incoming document: what it says, whether its signature holds, its files, who handles it, and its timeline. */
export function IncomingDetailPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const agencyId = me.currentAgencyId;
  const doc = useIncoming(agencyId, id);
  const { pick } = useI18n();
  const { tx } = useIncomingText();
  if (doc.isPending) return <Spin />;
  if (doc.isError) return <Result status="warning" title={errorText(doc.error, pick)} extra={<Link to="/incoming">{tx('back')}</Link>} />;
  const d = doc.data;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Link to="/incoming">‹ {tx('back')}</Link>
      <Space wrap size={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {code(d)}
        </Typography.Title>
        <StateTag state={d.state} />
        <UrgencyTag urgency={d.urgency} />
        {d.overdue && <Tag color="red">{tx('overdue')}</Tag>}
      </Space>
      <Typography.Paragraph style={{ fontSize: 16, margin: 0 }}>{d.subject}</Typography.Paragraph>
      <Notices doc={d} agencyId={agencyId} />
      <ActionBar agencyId={agencyId} doc={d} />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Facts doc={d} />
            <Files agencyId={agencyId} doc={d} />
          </Space>
        </Col>
        <Col xs={24} lg={10}>
          <Space direction="vertical" size="middle" style={{ width: '100%' }}>
            <Handling doc={d} />
            <Replies doc={d} />
            <DossiersOfDocument agencyId={agencyId} kind="incoming" documentId={d.id} />
            <History agencyId={agencyId} id={d.id} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

function Notices({ doc, agencyId }: { doc: IncomingDetail; agencyId: string }) {
  const { tx, verdict } = useIncomingText();
  const { lang } = useI18n();
  return (
    <>
      {doc.verification && (
        <Alert
          data-testid="verdict"
          type={doc.verification.verdict === 'valid' ? 'success' : doc.verification.verdict === 'invalid' ? 'error' : 'warning'}
          message={verdict(doc.verification.verdict)}
          description={
            doc.verification.reasons.length > 0 ? (
              <ul style={{ margin: 0, paddingLeft: 20 }}>
                {doc.verification.reasons.map((r, i) => (
                  <li key={i}>
                    {lang === 'vi' ? r.vi : r.en}
                    {r.detail ? ` (${r.detail})` : ''}
                  </li>
                ))}
              </ul>
            ) : doc.signerName ? (
              `${tx('signer')}: ${doc.signerName}`
            ) : undefined
          }
          showIcon
        />
      )}
      {doc.senderRequest && doc.actions.includes('agree_recall') && (
        <Alert
          type="warning"
          showIcon
          message={`${tx('senderAsks')} ${tx(`request_${doc.senderRequest}`)}`}
          description={
            <Space direction="vertical">
              {doc.senderRequestReason}
              {doc.senderRequestVersion && <Link to={`/incoming/${doc.senderRequestVersion}`}>{tx('newVersion')}</Link>}
              <SenderRequestButtons agencyId={agencyId} doc={doc} />
            </Space>
          }
        />
      )}
      {doc.possibleDuplicateOf && (
        <Alert type="warning" showIcon message={<Link to={`/incoming/${doc.possibleDuplicateOf}`}>{tx('duplicate')}</Link>} />
      )}
      {doc.returnReason && doc.state === 'registered' && <Alert type="info" showIcon message={`${tx('returned')}: ${doc.returnReason}`} />}
      {doc.refusalReason && <Alert type="info" showIcon message={`${tx('refusedBecause')}: ${doc.refusalReason}`} />}
      {doc.forwardedFrom && <Alert type="info" showIcon message={tx('forwardedCopy')} />}
    </>
  );
}

function Facts({ doc }: { doc: IncomingDetail }) {
  const { tx } = useIncomingText();
  return (
    <Card size="small">
      <Descriptions column={1} size="small" labelStyle={{ width: 150 }}>
        <Descriptions.Item label={tx('sender')}>{doc.senderName}</Descriptions.Item>
        <Descriptions.Item label={tx('numberNotation')}>{code(doc)}</Descriptions.Item>
        <Descriptions.Item label={tx('issueDate')}>{dmy(doc.issueDate)}</Descriptions.Item>
        <Descriptions.Item label={tx('documentType')}>{doc.documentType}</Descriptions.Item>
        {doc.signerName && <Descriptions.Item label={tx('signer')}>{doc.signerName}</Descriptions.Item>}
        <Descriptions.Item label={tx('received')}>{dateTime(doc.receivedAt)}</Descriptions.Item>
        {doc.registerNumber && (
          <Descriptions.Item label={tx('registerNumber')}>
            <span data-testid="register-number">{doc.registerNumber}</span>/{doc.registerYear}
          </Descriptions.Item>
        )}
        {doc.replyDue && <Descriptions.Item label={tx('replyDue')}>{dmy(doc.replyDue)}</Descriptions.Item>}
        {doc.verdict && (
          <Descriptions.Item label={tx('signature')}>
            <VerdictTag verdict={doc.verdict} />
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function Files({ agencyId, doc }: { agencyId: string; doc: IncomingDetail }) {
  const { tx } = useIncomingText();
  const firstPdf = doc.files.find((f) => f.contentType === 'application/pdf');
  const [shown, setShown] = useState<number | null>(firstPdf?.position ?? null);
  return (
    <Card size="small" title={tx('files')}>
      <List
        size="small"
        dataSource={doc.files}
        renderItem={(f) => (
          <List.Item
            actions={[
              ...(f.contentType === 'application/pdf'
                ? [
                    <a key="view" onClick={() => setShown(f.position)}>
                      {tx('view')}
                    </a>,
                  ]
                : []),
              <a key="download" href={fileUrl(agencyId, doc.id, f.position, true)}>
                {tx('download')}
              </a>,
            ]}
          >
            <Space direction="vertical" size={0}>
              <span>{f.name}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {(f.size / 1024).toFixed(0)} KB{f.addedBy ? ` · ${tx('addedByHandler')}` : ''}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
      {shown !== null && <PdfViewer url={fileUrl(agencyId, doc.id, shown)} />}
    </Card>
  );
}

/** The outgoing documents drafted as answers, and for the lead handler a way to draft one. */
function Replies({ doc }: { doc: IncomingDetail }) {
  const { tx } = useIncomingText();
  const navigate = useNavigate();
  const mayAnswer = doc.actions.includes('complete');
  if (doc.replies.length === 0 && !mayAnswer) return null;
  return (
    <Card
      size="small"
      title={tx('replies')}
      extra={
        mayAnswer && (
          <Button size="small" onClick={() => navigate(`/outgoing?replyTo=${doc.id}`)}>
            {tx('draftReply')}
          </Button>
        )
      }
    >
      <List
        size="small"
        dataSource={doc.replies}
        locale={{ emptyText: ' ' }}
        renderItem={(r) => (
          <List.Item>
            <Link to={`/outgoing/${r.id}`}>{r.number ? `${r.number}/${r.notation ?? ''} · ${r.subject}` : r.subject}</Link>
          </List.Item>
        )}
      />
    </Card>
  );
}

function Handling({ doc }: { doc: IncomingDetail }) {
  const { tx } = useIncomingText();
  const parts = (part: 'lead' | 'co' | 'info') => doc.assignments.filter((a) => a.part === part);
  if (!doc.submittedTo && !doc.directedBy && !doc.result) return null;
  return (
    <Card size="small" title={tx('handling')} data-testid="handling">
      <Descriptions column={1} size="small" labelStyle={{ width: 130 }}>
        {doc.submittedTo && <Descriptions.Item label={tx('submittedTo')}>{doc.submittedTo.name}</Descriptions.Item>}
        {doc.directedBy && <Descriptions.Item label={tx('directedBy')}>{doc.directedBy.name}</Descriptions.Item>}
        {doc.direction && <Descriptions.Item label={tx('direction')}>{doc.direction}</Descriptions.Item>}
        {parts('lead').length > 0 && (
          <Descriptions.Item label={tx('lead')}>
            {parts('lead')
              .map((a) => a.name)
              .join(', ')}
          </Descriptions.Item>
        )}
        {parts('co').length > 0 && (
          <Descriptions.Item label={tx('co')}>
            <Space direction="vertical" size={0}>
              {parts('co').map((a, i) => (
                <span key={i}>
                  {a.name}
                  {a.input ? `: “${a.input}”` : ''}
                </span>
              ))}
            </Space>
          </Descriptions.Item>
        )}
        {parts('info').length > 0 && (
          <Descriptions.Item label={tx('info')}>
            {parts('info')
              .map((a) => a.name)
              .join(', ')}
          </Descriptions.Item>
        )}
        {doc.dueDate && (
          <Descriptions.Item label={tx('due')}>
            <Typography.Text type={doc.overdue ? 'danger' : undefined}>{dmy(doc.dueDate)}</Typography.Text>
          </Descriptions.Item>
        )}
        {doc.result && <Descriptions.Item label={tx('result')}>{doc.result}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

/** The document's timeline, read from the agency's journal: who did what, when. */
export function History({ agencyId, id }: { agencyId: string; id: string }) {
  const { tx } = useIncomingText();
  const timeline = useTimeline(agencyId, id);
  return (
    <Card size="small" title={tx('timeline')}>
      {timeline.isPending ? <Spin /> : <Timeline items={timeline.data?.items.map((e) => ({ children: <Event entry={e} /> })) ?? []} />}
    </Card>
  );
}

function Event({ entry }: { entry: TimelineEntry }) {
  const { tx, event, state } = useIncomingText();
  const text = typeof entry.details.text === 'string' ? entry.details.text : null;
  const lead = entry.details.lead as { name?: string } | undefined;
  return (
    <div data-testid="timeline-entry" data-action={entry.action}>
      <Typography.Text strong>{event(entry.action)}</Typography.Text>
      {entry.to && entry.from !== entry.to && (
        <>
          {' '}
          <Typography.Text type="secondary">→ {state(entry.to as Parameters<typeof state>[0])}</Typography.Text>
        </>
      )}
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {dateTime(entry.at)} · {entry.actor?.name ?? tx('system')}
        </Typography.Text>
      </div>
      {entry.action === 'receive' && typeof entry.details.senderName === 'string' && (
        <div>
          {tx('sentBy', { sender: entry.details.senderName })}
          {typeof entry.details.sentAt === 'string' ? ` · ${tx('sentAt', { at: localTime(entry.details.sentAt) })}` : ''}
        </div>
      )}
      {lead?.name && (
        <div>
          {tx('lead')}: {lead.name}
        </div>
      )}
      {text && <div>{text}</div>}
    </div>
  );
}
