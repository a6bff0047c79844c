import { Icon, type IconName } from './Icon';

export function EmptyState(props: { icon: IconName; title: string; text: string; action?: { label: string; onClick(): void } | undefined }) {
  return (
    <div className="empty-state">
      <Icon name={props.icon} />
      <h2>{props.title}</h2>
      <p>{props.text}</p>
      {props.action && (
        <button type="button" className="button" onClick={props.action.onClick}>
          {props.action.label}
        </button>
      )}
    </div>
  );
}
