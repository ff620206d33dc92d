import { Card, Table, Tag, Typography } from 'antd';
import type { Me, Membership } from '../api';
import { useI18n } from '../i18n';

export function HomePage({ me }: { me: Me }) {
  const { t, role } = useI18n();
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('welcome')}, {me.user.fullName}
      </Typography.Title>
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
