import { useState } from 'react';
import { App as AntApp, Badge, Button, Empty, Flex, Popover, Spin, Typography, theme } from 'antd';
import { useNavigate } from 'react-router-dom';
import { errorText } from '../errors';
import { useI18n, type Lang } from '../i18n';
import { useLatestNotices, useMarkAllRead, useMarkRead, useUnreadCount, type Notice } from './queries';
import { relativeTime } from './time';
import { useMe, useSwitchAgency } from '../session';

// The bell's own labels; Vietnamese first, like the rest of the interface.
const LABELS = {
  notifications: ['Thông báo', 'Notifications'],
  unread: ['chưa đọc', 'unread'],
  markAllRead: ['Đánh dấu đã đọc tất cả', 'Mark all as read'],
  none: ['Chưa có thông báo', 'No notifications'],
} satisfies Record<string, [string, string]>;

/**
 * The bell in the header: how many notices are unread (looked at every 30 s), the latest ones on a
 * click, each opening the document it is about. Fits a 375-pixel-wide phone screen.
 */
export function NotificationBell() {
  const { lang, pick } = useI18n();
  const label = (key: keyof typeof LABELS) => LABELS[key][lang === 'vi' ? 0 : 1];
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const me = useMe().data;
  const switchAgency = useSwitchAgency();
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount();
  const latest = useLatestNotices(open);
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const count = unread.data?.count ?? 0;
  const onError = (err: unknown) => void message.error(errorText(err, pick));

  const openNotice = (notice: Notice) => {
    if (!notice.readAt) markRead.mutate(notice.id, { onError });
    // A request for comments from another agency opens that agency's list of requests.
    const path = notice.incomingId
      ? `/incoming/${notice.incomingId}`
      : notice.outgoingId
        ? `/outgoing/${notice.outgoingId}`
        : notice.dossierId
          ? `/dossiers/${notice.dossierId}`
          : notice.kind === 'consultation_requested'
            ? '/outgoing'
            : null;
    if (!path) return;
    setOpen(false);
    // Someone working in two agencies acts for the notice's agency before opening its document.
    if (me && notice.agencyId !== me.currentAgencyId) {
      // Switching clears every cached answer, which may unmount the bell: its per-call callbacks would be lost.
      switchAgency.mutateAsync(notice.agencyId).then(() => navigate(path), onError);
    } else navigate(path);
  };

  const content = (
    // The popover's own padding is outside this width: together they leave a margin on a 375-pixel screen.
    <div style={{ width: 'min(360px, calc(100vw - 48px))' }}>
      <Flex justify="space-between" align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{label('notifications')}</Typography.Text>
        <Button
          type="link"
          size="small"
          style={{ paddingInline: 0 }}
          disabled={count === 0}
          loading={markAllRead.isPending}
          onClick={() => markAllRead.mutate(undefined, { onError })}
        >
          {label('markAllRead')}
        </Button>
      </Flex>
      {latest.isPending ? (
        <Spin style={{ display: 'block', margin: '24px auto' }} />
      ) : latest.isError ? (
        <Typography.Text type="danger">{errorText(latest.error, pick)}</Typography.Text>
      ) : latest.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={label('none')} />
      ) : (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: '60vh', overflowY: 'auto' }}>
          {latest.data.items.map((notice) => (
            <li key={notice.id}>
              <NoticeRow notice={notice} lang={lang} onOpen={() => openNotice(notice)} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <Popover
      content={content}
      trigger="click"
      placement="bottomRight"
      // Slide along the screen's edge rather than past it, wherever the bell sits in the header.
      align={{ overflow: { shiftX: true, adjustY: true } }}
      open={open}
      onOpenChange={setOpen}
      arrow={false}
    >
      <Button
        type="text"
        shape="circle"
        aria-label={count > 0 ? `${label('notifications')} (${count} ${label('unread')})` : label('notifications')}
        icon={
          <Badge count={count} size="small" overflowCount={99}>
            <BellIcon />
          </Badge>
        }
      />
    </Popover>
  );
}

function NoticeRow({ notice, lang, onOpen }: { notice: Notice; lang: Lang; onOpen: () => void }) {
  const { token } = theme.useToken();
  const unread = notice.readAt === null;
  return (
    <button
      type="button"
      onClick={onOpen}
      style={{
        display: 'flex',
        gap: 8,
        width: '100%',
        textAlign: 'left',
        padding: '8px 4px',
        border: 'none',
        borderBottom: `1px solid ${token.colorSplit}`,
        background: unread ? token.colorPrimaryBg : 'transparent',
        cursor: 'pointer',
        font: 'inherit',
        color: 'inherit',
      }}
    >
      <span
        aria-hidden
        style={{
          flex: 'none',
          width: 8,
          height: 8,
          marginTop: 7,
          borderRadius: '50%',
          background: unread ? token.colorPrimary : 'transparent',
        }}
      />
      <span style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
        <Typography.Text strong={unread} style={{ display: 'block' }}>
          {notice.text[lang]}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: token.fontSizeSM }} title={new Date(notice.createdAt).toLocaleString(lang)}>
          {relativeTime(notice.createdAt, lang)}
        </Typography.Text>
      </span>
    </button>
  );
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" fill="currentColor" aria-hidden focusable="false" style={{ display: 'block' }}>
      <path d="M12 2a1.5 1.5 0 0 0-1.5 1.5v.7A6.5 6.5 0 0 0 5.5 10.5V15l-1.7 2.2A1 1 0 0 0 4.6 19h14.8a1 1 0 0 0 .8-1.8L18.5 15v-4.5a6.5 6.5 0 0 0-5-6.3v-.7A1.5 1.5 0 0 0 12 2Zm0 4a4.5 4.5 0 0 1 4.5 4.5v5.2l.8 1.3H6.7l.8-1.3v-5.2A4.5 4.5 0 0 1 12 6Zm-2.2 14a2.2 2.2 0 0 0 4.4 0Z" />
    </svg>
  );
}
