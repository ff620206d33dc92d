import { useState } from 'react';
import { Card, Col, Result, Row, Space, Tabs, Tag, Typography } from 'antd';
import type { Me } from '../api';
import { useI18n } from '../i18n';
import { currentMembership } from '../session';
import { AgencyTree } from './AgencyTree';
import { AgencyDetails } from './AgencyDetails';
import { DepartmentsTab } from './DepartmentsTab';
import { UsersTab } from './UsersTab';
import { ImportTab } from './ImportTab';
import { SigningTab } from './SigningTab';
import { useAgency } from './queries';

/** Directory administration: the agencies the administrator's agency heads, their departments and people. */
export function AdminPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const [selectedId, setSelectedId] = useState(me.currentAgencyId);
  // Bumped after an agency is added so the tree reloads that parent's children.
  const [changedParent, setChangedParent] = useState<{ id: string; at: number } | null>(null);
  if (!currentMembership(me)?.roles.includes('administrator')) return <Result status="403" title={t('noAccess')} />;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={8}>
        <Card title={t('agencyTree')}>
          <AgencyTree rootId={me.currentAgencyId} selectedId={selectedId} onSelect={setSelectedId} changedParent={changedParent} />
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        <AgencyPanel
          key={selectedId}
          agencyId={selectedId}
          onAgencyAdded={(parentId) => setChangedParent({ id: parentId, at: Date.now() })}
        />
      </Col>
    </Row>
  );
}

function AgencyPanel({ agencyId, onAgencyAdded }: { agencyId: string; onAgencyAdded: (parentId: string) => void }) {
  const { t } = useI18n();
  const agency = useAgency(agencyId);
  return (
    <Card
      loading={agency.isPending}
      title={
        agency.data && (
          <Space>
            <Typography.Text strong>{agency.data.name}</Typography.Text>
            <Tag>{agency.data.code}</Tag>
          </Space>
        )
      }
    >
      {agency.data && (
        <Tabs
          items={[
            { key: 'info', label: t('agencyInfo'), children: <AgencyDetails agency={agency.data} onAgencyAdded={onAgencyAdded} /> },
            { key: 'departments', label: t('departments'), children: <DepartmentsTab agencyId={agencyId} /> },
            { key: 'users', label: t('users'), children: <UsersTab agencyId={agencyId} /> },
            { key: 'signing', label: t('signingTab'), children: <SigningTab agencyId={agencyId} /> },
            {
              key: 'import',
              label: t('csvImport'),
              children: <ImportTab agencyId={agencyId} onImported={() => onAgencyAdded(agencyId)} />,
            },
          ]}
        />
      )}
    </Card>
  );
}
