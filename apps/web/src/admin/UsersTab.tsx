import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, query, ROLES, type AgencyUser, type Page, type Role } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { useDepartments } from './queries';

type Editing = { kind: 'new' } | { kind: 'existing' } | { kind: 'roles'; user: AgencyUser } | { kind: 'password'; user: AgencyUser };

export function UsersTab({ agencyId }: { agencyId: string }) {
  const { t, pick, role } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Editing | null>(null);
  const users = useInfiniteQuery({
    queryKey: ['users', agencyId, q],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => api<Page<AgencyUser>>('GET', `/agencies/${agencyId}/users${query({ q, cursor: pageParam, limit: 50 })}`),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['users', agencyId] });
  const act = useMutation({
    mutationFn: ({ user, action }: { user: AgencyUser; action: 'unlock' | 'remove' }) =>
      action === 'unlock'
        ? api<unknown>('POST', `/agencies/${agencyId}/users/${user.id}/unlock`)
        : api<unknown>('DELETE', `/agencies/${agencyId}/users/${user.id}`),
    onSuccess: async () => {
      await refresh();
      void message.success(t('saved'));
    },
    onError: (err) => void message.error(errorText(err, pick)),
  });

  return (
    <>
      {users.isError && <Alert type="error" showIcon title={errorText(users.error, pick)} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          placeholder={t('search')}
          aria-label={t('search')}
          onSearch={(value) => setQ(value.trim())}
          style={{ width: 260 }}
        />
        <Button type="primary" onClick={() => setEditing({ kind: 'new' })}>
          {t('addUser')}
        </Button>
        <Button onClick={() => setEditing({ kind: 'existing' })}>{t('addExistingUser')}</Button>
      </Space>
      <Table<AgencyUser>
        rowKey="id"
        size="small"
        loading={users.isPending}
        pagination={false}
        dataSource={users.data?.pages.flatMap((p) => p.items) ?? []}
        columns={[
          { title: t('username'), dataIndex: 'username' },
          {
            title: t('fullName'),
            dataIndex: 'fullName',
            render: (name: string, u) =>
              u.locked ? (
                <Space>
                  {name}
                  <Tag color="red">{t('locked')}</Tag>
                </Space>
              ) : (
                name
              ),
          },
          { title: t('department'), dataIndex: 'departmentName' },
          { title: t('roles'), dataIndex: 'roles', render: (roles: Role[]) => roles.map((r) => <Tag key={r}>{role(r)}</Tag>) },
          {
            title: t('actions'),
            render: (_, user) => (
              <Space wrap>
                <Button size="small" onClick={() => setEditing({ kind: 'roles', user })}>
                  {t('edit')}
                </Button>
                {user.locked && (
                  <Button size="small" onClick={() => act.mutate({ user, action: 'unlock' })}>
                    {t('unlock')}
                  </Button>
                )}
                <Button size="small" onClick={() => setEditing({ kind: 'password', user })}>
                  {t('resetPassword')}
                </Button>
                <Popconfirm
                  title={t('removeConfirm')}
                  onConfirm={() => act.mutate({ user, action: 'remove' })}
                  okText={t('removeFromAgency')}
                  cancelText={t('cancel')}
                >
                  <Button size="small" danger>
                    {t('removeFromAgency')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {users.hasNextPage && (
        <Button style={{ marginTop: 12 }} onClick={() => void users.fetchNextPage()} loading={users.isFetchingNextPage}>
          {t('loadMore')}
        </Button>
      )}
      {editing && (
        <UserForm
          agencyId={agencyId}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
            void message.success(t('saved'));
          }}
        />
      )}
    </>
  );
}

interface UserValues {
  username: string;
  fullName: string;
  email?: string;
  password: string;
  departmentId?: string | null;
  roles: Role[];
  position?: string;
}

function UserForm({
  agencyId,
  editing,
  onClose,
  onSaved,
}: {
  agencyId: string;
  editing: Editing;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t, pick, role } = useI18n();
  const departments = useDepartments(agencyId);
  const [form] = Form.useForm<UserValues>();
  const [blank] = useState<Partial<UserValues>>(() => {
    if (editing.kind === 'roles')
      return { roles: editing.user.roles, departmentId: editing.user.departmentId, position: editing.user.position ?? undefined };
    return { roles: ['officer'] };
  });
  const save = useMutation({
    mutationFn: (v: UserValues) => {
      const base = `/agencies/${agencyId}/users`;
      const position = v.position?.trim() || undefined;
      switch (editing.kind) {
        case 'new':
          return api('POST', base, { ...v, email: v.email?.trim() || undefined, departmentId: v.departmentId ?? undefined, position });
        case 'existing':
          return api('POST', `/agencies/${agencyId}/memberships`, {
            username: v.username,
            roles: v.roles,
            departmentId: v.departmentId ?? undefined,
            position,
          });
        case 'roles':
          return api('PATCH', `${base}/${editing.user.id}`, {
            roles: v.roles,
            departmentId: v.departmentId ?? null,
            position: position ?? null,
          });
        case 'password':
          return api('POST', `${base}/${editing.user.id}/password`, { password: v.password });
      }
    },
    onSuccess: onSaved,
  });
  const title = { new: t('addUser'), existing: t('addExistingUser'), roles: t('edit'), password: t('resetPassword') }[editing.kind];
  const who = 'user' in editing ? ` — ${editing.user.fullName}` : '';
  const required = [{ required: true, message: t('required') }];
  return (
    <Modal
      open
      title={title + who}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={save.isPending}
    >
      <Form form={form} layout="vertical" initialValues={blank} onFinish={(values) => save.mutate(values)}>
        {(editing.kind === 'new' || editing.kind === 'existing') && (
          <Form.Item name="username" label={t('username')} rules={required}>
            <Input autoComplete="off" />
          </Form.Item>
        )}
        {editing.kind === 'new' && (
          <>
            <Form.Item name="fullName" label={t('fullName')} rules={required}>
              <Input />
            </Form.Item>
            <Form.Item name="email" label={t('email')}>
              <Input type="email" />
            </Form.Item>
          </>
        )}
        {(editing.kind === 'new' || editing.kind === 'password') && (
          <Form.Item name="password" label={t('password')} extra={t('passwordRule')} rules={required}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        {editing.kind !== 'password' && (
          <>
            <Form.Item name="departmentId" label={t('department')}>
              <Select
                allowClear
                loading={departments.isPending}
                options={departments.data?.items.map((d) => ({ value: d.id, label: d.name }))}
              />
            </Form.Item>
            <Form.Item name="roles" label={t('roles')} rules={required}>
              <Select mode="multiple" options={ROLES.map((r) => ({ value: r, label: role(r) }))} />
            </Form.Item>
            <Form.Item name="position" label={t('position')}>
              <Input />
            </Form.Item>
          </>
        )}
        {save.isError && <Alert type="error" showIcon title={errorText(save.error, pick)} />}
      </Form>
    </Modal>
  );
}
