import { Alert, Button, Card, Empty, Image, Popconfirm, Space, Table, Tag, Typography, Upload } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { api, ApiError, type Credential, type Seal } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { ApprovalChainCard } from './ApprovalChainCard';

/** The agency's seal image and the certificates it and its signers sign with. */
export function SigningTab({ agencyId }: { agencyId: string }) {
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <ApprovalChainCard agencyId={agencyId} />
      <SealCard agencyId={agencyId} />
      <CredentialsCard agencyId={agencyId} />
    </Space>
  );
}

function SealCard({ agencyId }: { agencyId: string }) {
  const { t, pick } = useI18n();
  const client = useQueryClient();
  const seal = useQuery({
    queryKey: ['seal', agencyId],
    // No seal yet is an answer, not an error.
    queryFn: () => api<Seal>('GET', `/agencies/${agencyId}/seal`).catch((e: unknown) => (isNotFound(e) ? null : Promise.reject(e))),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['seal', agencyId] });
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api<Seal>('PUT', `/agencies/${agencyId}/seal`, form);
    },
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => api<undefined>('DELETE', `/agencies/${agencyId}/seal`), onSuccess: refresh });
  return (
    <Card size="small" title={t('sealImage')} loading={seal.isPending}>
      <Typography.Paragraph type="secondary">{t('sealHelp')}</Typography.Paragraph>
      {seal.data ? (
        <Space align="start" size="large" wrap>
          <Image
            width={120}
            alt={t('sealImage')}
            src={`/api/agencies/${agencyId}/seal/image?v=${seal.data.sha256.slice(0, 12)}`}
            style={{ background: '#fff', border: '1px solid #eee' }}
          />
          <Typography.Text type="secondary">
            {seal.data.width}×{seal.data.height} · {Math.ceil(seal.data.size / 1024)} KB ·{' '}
            {dayjs(seal.data.updatedAt).format('DD/MM/YYYY HH:mm')}
          </Typography.Text>
        </Space>
      ) : (
        seal.isSuccess && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('noSeal')} />
      )}
      <Space style={{ marginTop: 12 }}>
        <Upload
          accept="image/png,image/jpeg"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(file) => {
            upload.mutate(file);
            return false;
          }}
        >
          <Button loading={upload.isPending}>{t('chooseSeal')}</Button>
        </Upload>
        {seal.data && (
          <Popconfirm title={t('removeSealConfirm')} onConfirm={() => remove.mutate()} okText={t('remove')} cancelText={t('cancel')}>
            <Button danger loading={remove.isPending}>
              {t('remove')}
            </Button>
          </Popconfirm>
        )}
      </Space>
      {upload.isError && <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(upload.error, pick)} />}
      {remove.isError && <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(remove.error, pick)} />}
    </Card>
  );
}

function CredentialsCard({ agencyId }: { agencyId: string }) {
  const { t, pick } = useI18n();
  const credentials = useQuery({
    queryKey: ['credentials', agencyId],
    queryFn: () => api<{ items: Credential[] }>('GET', `/agencies/${agencyId}/credentials`),
  });
  const now = dayjs();
  return (
    <Card size="small" title={t('certificates')}>
      {credentials.isError && <Alert type="error" showIcon title={errorText(credentials.error, pick)} />}
      <Table<Credential>
        size="small"
        rowKey="id"
        loading={credentials.isPending}
        dataSource={credentials.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: t('noCertificates') }}
        columns={[
          {
            title: t('holder'),
            render: (_, c) => (
              <Space direction="vertical" size={0}>
                <Space size={4} wrap>
                  {c.kind === 'agency' && <Tag color="red">{t('agencyCertificate')}</Tag>}
                  <Typography.Text>{c.commonName}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {c.kind === 'agency' ? c.agencyCode : c.user?.username}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t('issuedBy'), dataIndex: 'issuerName', responsive: ['md'] },
          {
            title: t('serialNumber'),
            dataIndex: 'serial',
            responsive: ['lg'],
            render: (v: string) => <Typography.Text copyable={{ text: v }}>{v.length > 12 ? `${v.slice(0, 12)}…` : v}</Typography.Text>,
          },
          {
            title: t('validUntil'),
            dataIndex: 'notAfter',
            width: 120,
            render: (v: string) => (
              <Typography.Text type={dayjs(v).isBefore(now) ? 'danger' : undefined}>{dayjs(v).format('DD/MM/YYYY')}</Typography.Text>
            ),
          },
        ]}
      />
    </Card>
  );
}

function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}
