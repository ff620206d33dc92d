import { useState } from 'react';
import { Alert, App as AntApp, Button, Card, Form, Input, Space, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Me } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { ME_KEY } from '../session';

export function AccountPage({ me }: { me: Me }) {
  return (
    <Space direction="vertical" size="large" style={{ width: '100%', maxWidth: 640 }}>
      <ChangePassword />
      <TwoFactor me={me} />
    </Space>
  );
}

function ChangePassword() {
  const { t, pick } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const change = useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api<undefined>('POST', '/auth/change-password', body),
    onSuccess: () => {
      form.resetFields();
      void message.success(t('passwordChanged'));
    },
  });
  return (
    <Card title={t('changePassword')}>
      <Form form={form} layout="vertical" onFinish={({ currentPassword, newPassword }) => change.mutate({ currentPassword, newPassword })}>
        <Form.Item name="currentPassword" label={t('currentPassword')} rules={[{ required: true, message: t('required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('newPassword')}
          extra={t('passwordRule')}
          rules={[{ required: true, message: t('required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('required') },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('passwordsDiffer'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {change.isError && <Alert type="error" showIcon title={errorText(change.error, pick)} style={{ marginBottom: 16 }} />}
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('save')}
        </Button>
      </Form>
    </Card>
  );
}

function TwoFactor({ me }: { me: Me }) {
  const { t, pick } = useI18n();
  const { message } = AntApp.useApp();
  const client = useQueryClient();
  const [secret, setSecret] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const refresh = () => client.invalidateQueries({ queryKey: ME_KEY });
  const setup = useMutation({
    mutationFn: () => api<{ secret: string; otpauthUrl: string }>('POST', '/auth/totp/setup'),
    onSuccess: setSecret,
  });
  const enable = useMutation({
    mutationFn: (code: string) => api<undefined>('POST', '/auth/totp/enable', { code }),
    onSuccess: async () => {
      setSecret(null);
      await refresh();
      void message.success(t('twoFactorEnabled'));
    },
  });
  const disable = useMutation({
    mutationFn: (password: string) => api<undefined>('POST', '/auth/totp/disable', { password }),
    onSuccess: async () => {
      await refresh();
      void message.success(t('twoFactorDisabled'));
    },
  });
  const failure = setup.error ?? enable.error ?? disable.error;
  return (
    <Card
      title={
        <Space>
          {t('twoFactor')}
          {me.user.totpEnabled ? <Tag color="green">{t('twoFactorOn')}</Tag> : <Tag>{t('twoFactorOff')}</Tag>}
        </Space>
      }
    >
      {failure && <Alert type="error" showIcon title={errorText(failure, pick)} style={{ marginBottom: 16 }} />}
      {me.user.totpEnabled ? (
        <Form layout="inline" onFinish={({ password }: { password: string }) => disable.mutate(password)}>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending}>
            {t('twoFactorDisable')}
          </Button>
        </Form>
      ) : secret ? (
        <>
          <Typography.Paragraph>{t('twoFactorSecretHelp')}</Typography.Paragraph>
          <Typography.Paragraph copyable code data-testid="totp-secret">
            {secret.secret}
          </Typography.Paragraph>
          <Typography.Paragraph copyable={{ text: secret.otpauthUrl }} type="secondary" ellipsis>
            {secret.otpauthUrl}
          </Typography.Paragraph>
          <Form layout="inline" onFinish={({ code }: { code: string }) => enable.mutate(code)}>
            <Form.Item name="code" label={t('totpCode')} rules={[{ required: true, message: t('required') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={10} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={enable.isPending}>
              {t('twoFactorConfirm')}
            </Button>
          </Form>
        </>
      ) : (
        <Button onClick={() => setup.mutate()} loading={setup.isPending}>
          {t('twoFactorSetup')}
        </Button>
      )}
    </Card>
  );
}
