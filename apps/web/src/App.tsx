import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Result, Spin } from 'antd';
import { useMe } from './session';
import { useI18n } from './i18n';
import { errorText } from './errors';
import { LoginPage } from './LoginPage';
import { Shell } from './shell/Shell';
import { HomePage } from './shell/HomePage';
import { AccountPage } from './account/AccountPage';
import { AdminPage } from './admin/AdminPage';
import { IncomingPage } from './incoming/IncomingPage';
import { IncomingDetailPage } from './incoming/IncomingDetailPage';
import { SentDetailPage, SentPage } from './tracking/SentPage';
import { OutgoingPage } from './outgoing/OutgoingPage';
import { OutgoingDetailPage } from './outgoing/OutgoingDetailPage';
import { DossiersPage } from './dossiers/DossiersPage';
import { DossierDetailPage } from './dossiers/DossierDetailPage';
import { SearchPage } from './search/SearchPage';

// The dashboard brings ECharts: loaded when first opened, not with every page.
const ReportsPage = lazy(() => import('./reports/ReportsPage').then((m) => ({ default: m.ReportsPage })));

export function App() {
  const me = useMe();
  const { t, pick } = useI18n();
  if (me.isPending) return <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;
  if (me.isError) return <Result status="error" title={errorText(me.error, pick)} />;
  if (!me.data) return <LoginPage />;
  return (
    <Shell me={me.data}>
      <Routes>
        <Route path="/" element={<HomePage me={me.data} />} />
        <Route path="/incoming" element={<IncomingPage me={me.data} />} />
        <Route path="/incoming/:id" element={<IncomingDetailPage me={me.data} />} />
        <Route path="/outgoing" element={<OutgoingPage me={me.data} />} />
        <Route path="/outgoing/sent" element={<SentPage me={me.data} />} />
        <Route path="/outgoing/sent/:documentId" element={<SentDetailPage me={me.data} />} />
        <Route path="/outgoing/:id" element={<OutgoingDetailPage me={me.data} />} />
        <Route path="/dossiers" element={<DossiersPage me={me.data} />} />
        <Route path="/dossiers/:id" element={<DossierDetailPage me={me.data} />} />
        <Route path="/search" element={<SearchPage me={me.data} />} />
        <Route
          path="/reports"
          element={
            <Suspense fallback={<Spin />}>
              <ReportsPage me={me.data} />
            </Suspense>
          }
        />
        <Route path="/account" element={<AccountPage me={me.data} />} />
        <Route path="/admin" element={<AdminPage me={me.data} />} />
        <Route path="/login" element={<Navigate to="/" replace />} />
        <Route path="*" element={<Result status="404" title={t('pageNotFound')} />} />
      </Routes>
    </Shell>
  );
}
