import { useState } from 'react';
import { App, Button, Card, Modal, Select, Space, Spin, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { useDossierList, useFileDocument, useHoldingDossiers } from './model';
import { useDossierText } from './texts';

/** On a document's page: the dossiers that hold it, and filing it into one of my open dossiers. */
export function DossiersOfDocument({
  agencyId,
  kind,
  documentId,
}: {
  agencyId: string;
  kind: 'incoming' | 'outgoing';
  documentId: string;
}) {
  const { tx } = useDossierText();
  const { pick } = useI18n();
  const { message } = App.useApp();
  const holding = useHoldingDossiers(agencyId, kind === 'incoming' ? { incomingId: documentId } : { outgoingId: documentId });
  const [choosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<string | null>(null);
  const mine = useDossierList(agencyId, 'mine');
  const file = useFileDocument(agencyId);
  const held = holding.data?.items ?? [];
  const open = (mine.data?.pages.flatMap((p) => p.items) ?? []).filter((d) => d.state === 'open' && !held.some((h) => h.id === d.id));
  return (
    <Card
      size="small"
      title={tx('inDossiers')}
      extra={
        <Button size="small" onClick={() => setChoosing(true)}>
          {tx('fileInto')}
        </Button>
      }
    >
      <Space direction="vertical" size={2} data-testid="holding-dossiers">
        {held.map((d) => (
          <Link key={d.id} to={`/dossiers/${d.id}`}>
            {d.code} — {d.title}
          </Link>
        ))}
      </Space>
      <Modal
        title={tx('fileInto')}
        open={choosing}
        onCancel={() => setChoosing(false)}
        okButtonProps={{ disabled: chosen === null }}
        confirmLoading={file.isPending}
        onOk={() =>
          file.mutate(
            { dossierId: chosen!, kind, documentId },
            {
              onSuccess: () => {
                setChoosing(false);
                setChosen(null);
                void message.success(tx('filed'));
              },
              onError: (e) => void message.error(errorText(e, pick)),
            },
          )
        }
        destroyOnHidden
      >
        {/* Shown once my dossiers are known, so that a choice is never made from a list still filling. */}
        {mine.isPending ? (
          <Spin />
        ) : open.length === 0 ? (
          <Typography.Text type="secondary">{tx('noOpenDossier')}</Typography.Text>
        ) : (
          <Select
            aria-label={tx('chooseDossier')}
            placeholder={tx('chooseDossier')}
            style={{ width: '100%' }}
            value={chosen}
            onChange={setChosen}
            options={open.map((d) => ({ value: d.id, label: `${d.code} — ${d.title}` }))}
          />
        )}
      </Modal>
    </Card>
  );
}
