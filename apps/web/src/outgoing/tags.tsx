import { Tag } from 'antd';
import type { OutgoingState, SameDay } from './model';
import { useOutgoingText } from './texts';

const STATE_COLORS: Record<OutgoingState, string> = {
  draft: 'default',
  in_review: 'purple',
  reviewed: 'cyan',
  in_approval: 'geekblue',
  signed: 'blue',
  numbered: 'gold',
  issued: 'green',
  cancelled: 'default',
};

export function OutgoingStateTag({ state }: { state: OutgoingState }) {
  const { state: label } = useOutgoingText();
  return <Tag color={STATE_COLORS[state]}>{label(state)}</Tag>;
}

/** The same-day rule (QĐ 28/2018) as the clerk and the reports read it. */
export function SameDayTag({ value }: { value: SameDay }) {
  const { sameDay } = useOutgoingText();
  const { label, color } = sameDay(value);
  return (
    <Tag color={color} data-testid="same-day">
      {label}
    </Tag>
  );
}
