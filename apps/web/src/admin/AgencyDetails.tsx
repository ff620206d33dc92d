import { useState } from 'react';
import { Alert, App as AntApp, Button, Descriptions, Form, Input, Modal, Select, Space } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Agency } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { useAgency, useLevels } from './queries';

interface AgencyForm {
  code: string;
  name: string;
  shortName: string;
  level: string;
  notationAbbreviation?: string;
}

export function AgencyDetails({ agency, onAgencyAdded }: { agency: Agency; onAgencyAdded: (parentId: string) => void }) {
  const { t, lang } = useI18n();
  const levels = useLevels();
  const parent = useAgency(agency.parentId ?? agency.id);
  const [editing, setEditing] = useState(false);
  const [adding, setAdding] = useState(false);
  const levelName = (code: string) => {
    const level = levels.data?.items.find((l) => l.code === code);
    return level ? (lang === 'vi' ? level.nameVi : level.nameEn) : code;
  };
  return (
    <>
      <Descriptions
        column={1}
        bordered
        size="small"
        items={[
          { key: 'code', label: t('agencyCode'), children: agency.code },
          { key: 'name', label: t('agencyName'), children: agency.name },
          { key: 'shortName', label: t('shortName'), children: agency.shortName },
          { key: 'notation', label: t('notationAbbreviation'), children: agency.notationAbbreviation ?? '—' },
          { key: 'level', label: t('level'), children: levelName(agency.level) },
          { key: 'parent', label: t('parentAgency'), children: agency.parentId ? parent.data?.name : '—' },
        ]}
      />
      <Space style={{ marginTop: 16 }}>
        <Button onClick={() => setEditing(true)}>{t('edit')}</Button>
        <Button type="primary" onClick={() => setAdding(true)}>
          {t('addChildAgency')}
        </Button>
      </Space>
      {editing && <EditAgency agency={agency} onClose={() => setEditing(false)} />}
      {adding && (
        <AddAgency
          parent={agency}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            onAgencyAdded(agency.id);
          }}
        />
      )}
    </>
  );
}

function LevelSelect(props: { value?: string; onChange?: (value: string) => void }) {
  const { lang } = useI18n();
  const levels = useLevels();
  return (
    <Select
      {...props}
      loading={levels.isPending}
      options={levels.data?.items.map((l) => ({ value: l.code, label: lang === 'vi' ? l.nameVi : l.nameEn }))}
    />
  );
}

function EditAgency({ agency, onClose }: { agency: Agency; onClose: () => void }) {
  const { t, pick } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Omit<AgencyForm, 'code'>>();
  const save = useMutation({
    mutationFn: (body: Omit<AgencyForm, 'code'>) => api<Agency>('PATCH', `/agencies/${agency.id}`, body),
    onSuccess: (updated) => {
      client.setQueryData(['agency', agency.id], updated);
      void message.success(t('saved'));
      onClose();
    },
  });
  return (
    <Modal
      open
      title={t('edit')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('save')}
      cancelText={t('cancel')}
      confirmLoading={save.isPending}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ ...agency, notationAbbreviation: agency.notationAbbreviation ?? undefined }}
        onFinish={(values) => save.mutate(values)}
      >
        <AgencyFields />
        <Form.Item
          name="notationAbbreviation"
          label={t('notationAbbreviation')}
          extra={t('notationAbbreviationHelp')}
          rules={[{ pattern: /^[\p{L}\p{N}]{1,15}$/u, message: t('notationAbbreviationHelp') }]}
        >
          <Input style={{ width: 160 }} />
        </Form.Item>
        {save.isError && <Alert type="error" showIcon title={errorText(save.error, pick)} />}
      </Form>
    </Modal>
  );
}

/** The fields an agency is edited and added with. */
function AgencyFields() {
  const { t } = useI18n();
  const rules = [{ required: true, message: t('required') }];
  return (
    <>
      <Form.Item name="name" label={t('agencyName')} rules={rules}>
        <Input />
      </Form.Item>
      <Form.Item name="shortName" label={t('shortName')} rules={rules}>
        <Input />
      </Form.Item>
      <Form.Item name="level" label={t('level')} rules={rules}>
        <LevelSelect />
      </Form.Item>
    </>
  );
}

function AddAgency({ parent, onClose, onAdded }: { parent: Agency; onClose: () => void; onAdded: () => void }) {
  const { t, pick } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<AgencyForm>();
  const add = useMutation({
    mutationFn: (body: AgencyForm) => api<Agency>('POST', '/agencies', { ...body, parentId: parent.id }),
    onSuccess: () => {
      void message.success(t('agencyAdded'));
      onAdded();
    },
  });
  return (
    <Modal
      open
      title={`${t('addChildAgency')} — ${parent.shortName}`}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('add')}
      cancelText={t('cancel')}
      confirmLoading={add.isPending}
    >
      <Form form={form} layout="vertical" onFinish={(values) => add.mutate(values)}>
        <Form.Item name="code" label={t('agencyCode')} extra="000.00.00.H99" rules={[{ required: true, message: t('required') }]}>
          <Input />
        </Form.Item>
        <AgencyFields />
        {add.isError && <Alert type="error" showIcon title={errorText(add.error, pick)} />}
      </Form>
    </Modal>
  );
}
