import { useCallback, useEffect, useState } from 'react';
import { Alert, Input, List, Tree, type TreeDataNode } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { api, query, type Agency, type Page } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { fetchChildren, useAgency } from './queries';

interface Props {
  rootId: string;
  selectedId: string;
  onSelect: (agencyId: string) => void;
  changedParent: { id: string; at: number } | null;
}

/** The agency tree below the agency acted for, loaded one level at a time as it is opened. */
export function AgencyTree({ rootId, selectedId, onSelect, changedParent }: Props) {
  const { t, pick } = useI18n();
  const root = useAgency(rootId);
  const [children, setChildren] = useState<Record<string, Agency[]>>({});
  const [expanded, setExpanded] = useState<string[]>([rootId]);
  const [failure, setFailure] = useState<unknown>(null);
  const [q, setQ] = useState('');

  const load = useCallback(async (parentId: string) => {
    try {
      const list = await fetchChildren(parentId);
      setChildren((current) => ({ ...current, [parentId]: list }));
    } catch (err) {
      setFailure(err);
    }
  }, []);

  useEffect(() => {
    void load(rootId);
  }, [load, rootId]);

  useEffect(() => {
    if (changedParent) {
      void load(changedParent.id);
      void root.refetch();
      setExpanded((keys) => (keys.includes(changedParent.id) ? keys : [...keys, changedParent.id]));
    }
    // Only a new change should reload, not a new `root` object.
  }, [changedParent, load]);

  const matches = useQuery({
    queryKey: ['agency-search', q],
    enabled: q.length >= 2,
    queryFn: () => api<Page<Agency>>('GET', `/agencies${query({ q, limit: 20 })}`),
  });

  const toNode = (agency: Agency): TreeDataNode => {
    const known = children[agency.id];
    return {
      key: agency.id,
      title: agency.name,
      isLeaf: known ? known.length === 0 : agency.childCount === 0,
      children: known?.map(toNode),
    };
  };

  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('search')}
        onSearch={(value) => setQ(value.trim())}
        style={{ marginBottom: 12 }}
        aria-label={t('search')}
      />
      {failure !== null && <Alert type="error" showIcon title={errorText(failure, pick)} />}
      {root.isError && <Alert type="error" showIcon title={errorText(root.error, pick)} />}
      {q.length >= 2 ? (
        <List<Agency>
          loading={matches.isFetching}
          dataSource={matches.data?.items ?? []}
          renderItem={(agency) => (
            <List.Item style={{ cursor: 'pointer' }} onClick={() => onSelect(agency.id)}>
              <List.Item.Meta title={agency.name} description={agency.code} />
            </List.Item>
          )}
        />
      ) : (
        root.data && (
          <Tree
            treeData={[toNode(root.data)]}
            selectedKeys={[selectedId]}
            expandedKeys={expanded}
            onExpand={(keys) => setExpanded(keys.map(String))}
            loadData={(node) => (children[String(node.key)] ? Promise.resolve() : load(String(node.key)))}
            onSelect={(keys) => keys[0] !== undefined && onSelect(String(keys[0]))}
          />
        )
      )}
    </>
  );
}
