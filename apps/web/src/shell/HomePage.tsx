import { Button, Card, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import type { Me, Membership } from '../api';
import { useI18n } from '../i18n';

export function HomePage({ me }: { me: Me }) {
  const { t, role } = useI18n();
  const current = me.memberships.find((m) => m.agencyId === me.currentAgencyId);
  // Leaders come here first: their dashboard is one tap away, on a phone too.
  const leader = current?.roles.some((r) => r === 'agency_leader' || r === 'department_leader') ?? false;
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('welcome')}, {me.user.fullName}
      </Typography.Title>
      {leader && (
        <Link to="/reports">
          <Button type="primary" style={{ marginBottom: 16 }}>
            {t('reportsDashboard')}
          </Button>
        </Link>
      )}
      <Typography.Title level={5}>{t('yourRoles')}</Typography.Title>
      <Table<Membership>
        rowKey="agencyId"
        pagination={false}
        dataSource={me.memberships}
        columns={[
          {
            title: t('agency'),
            dataIndex: 'agencyName',
            render: (name: string, m) => (m.agencyId === me.currentAgencyId ? <strong>{name}</strong> : name),
          },
          { title: t('agencyCode'), dataIndex: 'agencyCode' },
          { title: t('department'), dataIndex: 'departmentName' },
          { title: t('position'), dataIndex: 'position' },
          { title: t('roles'), dataIndex: 'roles', render: (roles: Membership['roles']) => roles.map((r) => <Tag key={r}>{role(r)}</Tag>) },
        ]}
      />
    </Card>
  );
}
