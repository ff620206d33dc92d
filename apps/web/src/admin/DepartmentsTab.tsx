import { useState } from 'react';
import { Alert, App as AntApp, Button, Form, Input, Modal, Table } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Department } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { useDepartments } from './queries';

export function DepartmentsTab({ agencyId }: { agencyId: string }) {
  const { t, pick } = useI18n();
  const departments = useDepartments(agencyId);
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  return (
    <>
      {departments.isError && <Alert type="error" showIcon title={errorText(departments.error, pick)} />}
      <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }}>
        {t('addDepartment')}
      </Button>
      <Table<Department>
        rowKey="id"
        size="small"
        loading={departments.isPending}
        dataSource={departments.data?.items ?? []}
        pagination={false}
        columns={[
          { title: t('departmentCode'), dataIndex: 'code', width: 160 },
          { title: t('departmentName'), dataIndex: 'name' },
          {
            title: t('actions'),
            width: 100,
            render: (_, department) => (
              <Button size="small" onClick={() => setEditing(department)}>
                {t('edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <DepartmentForm agencyId={agencyId} department={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function DepartmentForm({ agencyId, department, onClose }: { agencyId: string; department: Department | null; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const save = useMutation({
    mutationFn: (values: { code: string; name: string }) =>
      department
        ? api<Department>('PATCH', `/agencies/${agencyId}/departments/${department.id}`, { name: values.name })
        : api<Department>('POST', `/agencies/${agencyId}/departments`, values),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['departments', agencyId] });
      void message.success(t('saved'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={department ? department.name : t('addDepartment')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={save.isPending}
    >
      <Form form={form} layout="vertical" initialValues={department ?? {}} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="code" label={t('departmentCode')} rules={[{ required: true, message: t('required') }]}>
          <Input disabled={department !== null} />
        </Form.Item>
        <Form.Item name="name" label={t('departmentName')} rules={[{ required: true, message: t('required') }]}>
          <Input />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon title={errorText(save.error, pick)} />}
      </Form>
    </Modal>
  );
}
