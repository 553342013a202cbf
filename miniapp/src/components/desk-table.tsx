import { useState, type ReactNode } from 'react';
import { Picker, View } from '@tarojs/components';
import { Button, Input } from './nutui';
import { toggle, toggleAll, type DeskFilters, type DeskSort } from '../services/desk';
import './desk-table.scss';

/** One column of a desk table; `sort` names the server's sort option the column header switches to. */
export type DeskColumn<T> = { key: string; title: string; width: string; sort?: DeskSort; render: (row: T) => ReactNode };

/**
 * The desk's list form (issue 13): a real table — header, one row per ticket, sortable columns through the server's
 * sort options, a check box per row and one for the page when `selected` is given. Rows open on click (`onOpen`);
 * cells may hold their own buttons (their clicks do not open the row).
 */
export function DeskTable<T extends { id: string }>({ columns, rows, sort, onSort, selected, onSelect, onOpen, rowClass }: {
  columns: DeskColumn<T>[];
  rows: T[];
  sort?: DeskSort;
  onSort?: (sort: DeskSort) => void;
  selected?: string[];
  onSelect?: (ids: string[]) => void;
  onOpen?: (row: T) => void;
  rowClass?: (row: T) => string;
}) {
  const selectable = !!selected && !!onSelect;
  const template = `${selectable ? '56px ' : ''}${columns.map((c) => c.width).join(' ')}`;
  const ids = rows.map((r) => r.id);
  const allOn = selectable && ids.length > 0 && ids.every((id) => selected!.includes(id));
  return (
    <View className="desk-table" role="table">
      <View className="desk-table__row desk-table__row--head" role="row" style={{ gridTemplateColumns: template }}>
        {selectable ? (
          <View className="desk-table__cell desk-table__cell--check" role="columnheader" onClick={() => onSelect!(toggleAll(selected!, ids))}>
            <View className={`desk-table__box${allOn ? ' desk-table__box--on' : ''}`} aria-label="全选本页">{allOn ? '✓' : ''}</View>
          </View>
        ) : null}
        {columns.map((c) => {
          const on = !!c.sort && c.sort === sort;
          return (
            <View
              key={c.key}
              role="columnheader"
              className={`desk-table__cell desk-table__th${c.sort ? ' desk-table__th--sortable' : ''}${on ? ' desk-table__th--sorted' : ''}`}
              aria-sort={on ? (c.sort === 'created' ? 'descending' : 'ascending') : undefined}
              onClick={() => c.sort && onSort?.(c.sort)}
            >
              {c.title}
              {c.sort ? <View className="desk-table__arrow">{on ? (c.sort === 'created' ? '↓' : '↑') : '⇅'}</View> : null}
            </View>
          );
        })}
      </View>
      {rows.map((r) => {
        const on = selectable && selected!.includes(r.id);
        return (
          <View
            key={r.id}
            role="row"
            className={`desk-table__row desk-table__row--body${on ? ' desk-table__row--on' : ''}${rowClass ? ` ${rowClass(r)}` : ''}`}
            style={{ gridTemplateColumns: template }}
            onClick={() => onOpen?.(r)}
          >
            {selectable ? (
              <View
                className="desk-table__cell desk-table__cell--check"
                role="cell"
                onClick={(e) => {
                  e.stopPropagation();
                  onSelect!(toggle(selected!, r.id));
                }}
              >
                <View className={`desk-table__box${on ? ' desk-table__box--on' : ''}`}>{on ? '✓' : ''}</View>
              </View>
            ) : null}
            {columns.map((c) => (
              <View key={c.key} role="cell" className={`desk-table__cell desk-table__cell--${c.key}`}>{c.render(r)}</View>
            ))}
          </View>
        );
      })}
    </View>
  );
}

type Ref = { id: string; name: string };

/** The filters above a desk table: a keyword (编号、标题、企业), a department when given, 只看超期 when allowed. */
export function DeskFilterBar({ value, onChange, departments, overdue = true, children }: {
  value: DeskFilters;
  onChange: (f: DeskFilters) => void;
  departments?: Ref[];
  overdue?: boolean;
  children?: ReactNode;
}) {
  const [q, setQ] = useState(value.q);
  const all = departments ? [{ id: '', name: '全部部门' }, ...departments] : [];
  const index = Math.max(0, all.findIndex((d) => d.id === value.departmentId));
  return (
    <View className="desk-filters">
      <View className="desk-filters__search">
        <Input placeholder="编号、标题或企业名称" value={q} maxLength={64} clearable onChange={setQ} onConfirm={() => onChange({ ...value, q })} onClear={() => onChange({ ...value, q: '' })} />
      </View>
      <Button className="desk-filters__go" type="primary" onClick={() => onChange({ ...value, q })}>查询</Button>
      {departments ? (
        <Picker mode="selector" range={all.map((d) => d.name)} value={index} onChange={(e) => onChange({ ...value, departmentId: all[Number(e.detail.value)]?.id ?? '' })}>
          <View className={`desk-filters__chip${value.departmentId ? ' desk-filters__chip--on' : ''}`}>{value.departmentId ? all[index].name : '部门：全部'}</View>
        </Picker>
      ) : null}
      {overdue ? (
        <View className={`desk-filters__chip${value.overdue ? ' desk-filters__chip--on' : ''}`} onClick={() => onChange({ ...value, overdue: !value.overdue })}>只看超期</View>
      ) : null}
      {children}
    </View>
  );
}

/** Under a desk table: how many rows are shown and the next keyset page on demand. */
export function DeskPager({ count, hasMore, loadingMore, onMore }: { count: number; hasMore: boolean; loadingMore: boolean; onMore: () => void }) {
  if (!count) return null;
  return (
    <View className="desk-pager">
      <View className="desk-pager__count">{`已显示 ${count} 件${hasMore ? '' : '，没有更多了'}`}</View>
      {hasMore ? <Button className="desk-pager__more" loading={loadingMore} onClick={onMore}>加载更多</Button> : null}
    </View>
  );
}

/** The bar of batch actions over the selected rows. */
export function DeskBatchBar({ count, children, onClear }: { count: number; children: ReactNode; onClear: () => void }) {
  if (!count) return null;
  return (
    <View className="desk-batch">
      <View className="desk-batch__count">{`已选 ${count} 件`}</View>
      {children}
      <Button className="desk-batch__clear" onClick={onClear}>取消选择</Button>
    </View>
  );
}
