import { Alert, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { errorText } from '../errors';

const KINDS: { kind: 'agencies' | 'users'; title: MessageKey; columns: string }[] = [
  { kind: 'agencies', title: 'importAgencies', columns: 'code,name,short_name,level,parent_code' },
  { kind: 'users', title: 'importUsers', columns: 'username,full_name,email,password,department_code,roles,position' },
];

export function ImportTab({ agencyId, onImported }: { agencyId: string; onImported: () => void }) {
  const { t } = useI18n();
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Text type="secondary">{t('importAllOrNothing')}</Typography.Text>
      {KINDS.map((k) => (
        <ImportCard key={k.kind} agencyId={agencyId} {...k} onImported={onImported} />
      ))}
    </Space>
  );
}

function ImportCard({ agencyId, kind, title, columns, onImported }: (typeof KINDS)[number] & { agencyId: string; onImported: () => void }) {
  const { t, pick, lang } = useI18n();
  const client = useQueryClient();
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api<{ imported: number }>('POST', `/agencies/${agencyId}/imports/${kind}`, form);
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: kind === 'users' ? ['users', agencyId] : ['agency', agencyId] });
      if (kind === 'agencies') onImported();
    },
  });
  const rejected = upload.error instanceof ApiError ? upload.error.rejectedRows : [];
  const problems = rejected.flatMap((row) =>
    row.errors.map((e, i) => ({ key: `${row.line}-${i}`, line: row.line, field: e.field, text: lang === 'vi' ? e.vi : e.en })),
  );
  return (
    <Card size="small" title={t(title)}>
      <Typography.Paragraph>
        {t('importColumns')} <Typography.Text code>{columns}</Typography.Text>
      </Typography.Paragraph>
      <Upload
        accept=".csv,text/csv"
        maxCount={1}
        showUploadList={false}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
      >
        <Button loading={upload.isPending}>{t('chooseFile')}</Button>
      </Upload>
      {upload.isSuccess && <Alert style={{ marginTop: 12 }} type="success" showIcon title={t('imported', { n: upload.data.imported })} />}
      {upload.isError && <Alert style={{ marginTop: 12 }} type="error" showIcon title={errorText(upload.error, pick)} />}
      {problems.length > 0 && (
        <Table<(typeof problems)[number]>
          style={{ marginTop: 12 }}
          size="small"
          title={() => t('rejectedRows')}
          dataSource={problems}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('line'), dataIndex: 'line', width: 80 },
            { title: t('field'), dataIndex: 'field', width: 160 },
            { title: t('problem'), dataIndex: 'text' },
          ]}
        />
      )}
    </Card>
  );
}
