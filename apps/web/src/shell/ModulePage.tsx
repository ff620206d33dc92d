import { Card, Empty, Typography } from 'antd';
import { useI18n, type MessageKey } from '../i18n';

/** A module of the navigation whose screens belong to a later release: says so plainly. */
export function ModulePage({ title }: { title: MessageKey }) {
  const { t } = useI18n();
  return (
    <Card>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t(title)}
      </Typography.Title>
      <Empty description={t('notBuilt')} />
    </Card>
  );
}
