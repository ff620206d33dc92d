import { Tag } from 'antd';
import type { IncomingState, Urgency, Verdict } from './model';
import { useIncomingText } from './texts';

const STATE_COLORS: Record<IncomingState, string> = {
  awaiting: 'gold',
  refused: 'default',
  registered: 'blue',
  submitted: 'purple',
  assigned: 'cyan',
  in_progress: 'geekblue',
  completed: 'green',
  withdrawn: 'default',
};

export function StateTag({ state }: { state: IncomingState }) {
  const { state: label } = useIncomingText();
  return <Tag color={STATE_COLORS[state]}>{label(state)}</Tag>;
}

/** Only what is more than normal is worth a tag. */
export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  const { urgency: label } = useIncomingText();
  if (urgency === 'normal') return null;
  return <Tag color={urgency === 'urgent' ? 'orange' : 'red'}>{label(urgency)}</Tag>;
}

export function VerdictTag({ verdict }: { verdict: Verdict }) {
  const { verdict: label } = useIncomingText();
  return <Tag color={verdict === 'valid' ? 'green' : verdict === 'invalid' ? 'red' : 'orange'}>{label(verdict)}</Tag>;
}
