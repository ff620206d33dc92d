import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, type Me } from './api';
import { useI18n, type Lang } from './i18n';
import { errorText } from './errors';
import { ME_KEY } from './session';

interface Credentials {
  username: string;
  password: string;
  totpCode?: string;
}

export function LoginPage() {
  const { t, pick, lang, setLang } = useI18n();
  const client = useQueryClient();
  const [needsTotp, setNeedsTotp] = useState(false);
  const login = useMutation({
    mutationFn: (body: Credentials) => api<Me>('POST', '/auth/login', body),
    onSuccess: (me) => client.setQueryData(ME_KEY, me),
    onError: (err) => {
      if (err instanceof ApiError && err.code === 'totp_required') setNeedsTotp(true);
    },
  });
  const askedForTotp = login.error instanceof ApiError && login.error.code === 'totp_required';
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f2f5' }}>
      <Card style={{ width: 380 }}>
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          vanban
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('appName')}</Typography.Paragraph>
        <Form<Credentials> layout="vertical" onFinish={(values) => login.mutate(values)} requiredMark={false}>
          <Form.Item name="username" label={t('username')} rules={[{ required: true, message: t('required') }]}>
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t('password')} rules={[{ required: true, message: t('required') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needsTotp && (
            <Form.Item name="totpCode" label={t('totpCode')} rules={[{ required: true, message: t('required') }]}>
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={10} autoFocus />
            </Form.Item>
          )}
          {login.isError && !askedForTotp && (
            <Alert type="error" showIcon title={errorText(login.error, pick)} style={{ marginBottom: 16 }} />
          )}
          <Button type="primary" htmlType="submit" block loading={login.isPending}>
            {t('login')}
          </Button>
        </Form>
        <Segmented<Lang>
          style={{ marginTop: 16 }}
          value={lang}
          onChange={setLang}
          options={[
            { label: 'Tiếng Việt', value: 'vi' },
            { label: 'English', value: 'en' },
          ]}
        />
      </Card>
    </div>
  );
}
