import { useState } from 'react';
import { Alert, Button, Card, List, Select, Space, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, query, type Department, type Page } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';

interface Chain {
  steps: { departmentId: string; departmentName: string }[];
}

/** The departments whose leaders check every draft before its signer, in order; set by the agency's administrator. */
export function ApprovalChainCard({ agencyId }: { agencyId: string }) {
  const { t, pick } = useI18n();
  const client = useQueryClient();
  const chain = useQuery({
    queryKey: ['approval-chain', agencyId],
    queryFn: () => api<Chain>('GET', `/agencies/${agencyId}/approval-chain`),
  });
  const departments = useQuery({
    queryKey: ['departments', agencyId],
    queryFn: () => api<Page<Department>>('GET', `/agencies/${agencyId}/departments${query({ limit: 100 })}`),
  });
  const [adding, setAdding] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (departmentIds: string[]) => api<Chain>('PUT', `/agencies/${agencyId}/approval-chain`, { departmentIds }),
    onSuccess: (updated) => {
      client.setQueryData(['approval-chain', agencyId], updated);
      setAdding(null);
    },
  });
  const ids = chain.data?.steps.map((s) => s.departmentId) ?? [];
  const move = (from: number, to: number) => {
    const next = [...ids];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    save.mutate(next);
  };
  return (
    <Card size="small" title={t('approvalChain')} loading={chain.isPending}>
      <Typography.Paragraph type="secondary">{t('approvalChainHelp')}</Typography.Paragraph>
      <List
        size="small"
        dataSource={chain.data?.steps ?? []}
        locale={{ emptyText: t('approvalChainEmpty') }}
        renderItem={(s, i) => (
          <List.Item
            actions={[
              <Button key="up" size="small" disabled={i === 0} onClick={() => move(i, i - 1)} aria-label="↑">
                ↑
              </Button>,
              <Button key="down" size="small" disabled={i === ids.length - 1} onClick={() => move(i, i + 1)} aria-label="↓">
                ↓
              </Button>,
              <Button key="remove" size="small" danger onClick={() => save.mutate(ids.filter((id) => id !== s.departmentId))}>
                ×
              </Button>,
            ]}
          >
            {i + 1}. {s.departmentName}
          </List.Item>
        )}
      />
      <Space.Compact style={{ marginTop: 8 }}>
        <Select
          style={{ width: 260 }}
          aria-label={t('addStep')}
          placeholder={t('addStep')}
          value={adding}
          onChange={setAdding}
          options={(departments.data?.items ?? []).filter((d) => !ids.includes(d.id)).map((d) => ({ value: d.id, label: d.name }))}
        />
        <Button disabled={!adding} loading={save.isPending} onClick={() => adding && save.mutate([...ids, adding])}>
          {t('addStep')}
        </Button>
      </Space.Compact>
      {save.isError && <Alert type="error" showIcon message={errorText(save.error, pick)} style={{ marginTop: 8 }} />}
    </Card>
  );
}
