import type { ReactNode } from 'react';
import { Layout, Menu, Select, Dropdown, Button, Space, Typography, Grid, App as AntApp } from 'antd';
import { NotificationBell } from '../notifications/NotificationBell';
import { SearchBox } from '../search/SearchBox';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Me } from '../api';
import { useI18n, type MessageKey } from '../i18n';
import { errorText } from '../errors';
import { currentMembership, useLogout, useSwitchAgency } from '../session';

/** Navigation every role needs; administration only for administrators of the agency acted for. */
const SECTIONS: { path: string; label: MessageKey; adminOnly?: boolean }[] = [
  { path: '/', label: 'home' },
  { path: '/incoming', label: 'incoming' },
  { path: '/outgoing', label: 'outgoing' },
  { path: '/dossiers', label: 'dossiers' },
  { path: '/reports', label: 'reports' },
  { path: '/admin', label: 'administration', adminOnly: true },
];

export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t, pick, lang, setLang } = useI18n();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const switchAgency = useSwitchAgency();
  const logout = useLogout();
  const isAdmin = currentMembership(me)?.roles.includes('administrator') ?? false;
  const sections = SECTIONS.filter((s) => !s.adminOnly || isAdmin);
  const selected = sections.filter((s) => s.path !== '/' && location.pathname.startsWith(s.path)).map((s) => s.path);
  // A leader's phone (375 px) keeps the agency, the bell and the account; the rest waits for a wider screen.
  const wide = Grid.useBreakpoint().md ?? false;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider width={220} breakpoint="lg" collapsedWidth={0} theme="light" zeroWidthTriggerStyle={{ top: 12 }}>
        <Typography.Title level={4} style={{ padding: '16px 24px', margin: 0 }}>
          vanban
        </Typography.Title>
        <nav aria-label={t('appName')}>
          <Menu
            mode="inline"
            selectedKeys={selected.length ? selected : location.pathname === '/' ? ['/'] : []}
            items={sections.map((s) => ({ key: s.path, label: t(s.label) }))}
            onClick={({ key }) => navigate(key)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: wide ? 16 : 8,
            paddingInline: wide ? 24 : 8,
            paddingInlineStart: wide ? 24 : 48,
          }}
        >
          <Space style={{ minWidth: 0, flex: wide ? undefined : 1 }}>
            {wide && <Typography.Text type="secondary">{t('actingFor')}</Typography.Text>}
            {me.memberships.length > 1 ? (
              <Select
                aria-label={t('actingFor')}
                style={{ minWidth: wide ? 280 : 0, width: wide ? undefined : '100%' }}
                value={me.currentAgencyId}
                loading={switchAgency.isPending}
                options={me.memberships.map((m) => ({ value: m.agencyId, label: m.agencyName }))}
                onChange={(agencyId: string) =>
                  switchAgency.mutate(agencyId, {
                    onSuccess: () => navigate('/'),
                    onError: (err) => void message.error(errorText(err, pick)),
                  })
                }
              />
            ) : (
              <Typography.Text
                strong
                style={
                  wide
                    ? undefined
                    : {
                        display: 'inline-block',
                        maxWidth: 180,
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        whiteSpace: 'nowrap',
                        verticalAlign: 'middle',
                      }
                }
              >
                {currentMembership(me)?.agencyName}
              </Typography.Text>
            )}
          </Space>
          <SearchBox wide={wide} />
          <NotificationBell />
          {wide && (
            <Select
              aria-label={t('language')}
              value={lang}
              onChange={setLang}
              options={[
                { value: 'vi', label: 'Tiếng Việt' },
                { value: 'en', label: 'English' },
              ]}
            />
          )}
          <Dropdown
            menu={{
              items: [
                { key: 'account', label: t('account') },
                { key: 'logout', label: t('logout') },
              ],
              onClick: ({ key }) =>
                key === 'logout' ? logout.mutate(undefined, { onSettled: () => navigate('/') }) : navigate('/account'),
            }}
          >
            <Button aria-label={t('account')}>{wide ? me.user.fullName : me.user.fullName.split(' ').pop()}</Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ margin: wide ? 24 : 12 }}>{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
