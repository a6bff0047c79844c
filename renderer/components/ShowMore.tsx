import { Fragment, useState, type ReactNode } from 'react';

/**
 * The first `step` items, then `step` more at each press. A bulk import's reports or results can hold ten thousand
 * entries: rendered at once they put over a million elements on the page and the screen stops answering for a minute.
 */
export function ShowMoreList<T>(props: {
  items: readonly T[];
  step: number;
  keyOf(item: T, index: number): string;
  render(item: T): ReactNode;
  /** What the footer says is shown, e.g. "declarations" → "Showing 20 of 10000 declarations". */
  noun: string;
  /** Appended to the footer when the order is not the input's (e.g. "those that failed first"). */
  orderNote?: string | undefined;
  /** The element the shown items go in (a list's `<ul>`); the footer follows it. */
  wrap?(children: ReactNode): ReactNode;
}) {
  const [shown, setShown] = useState(props.step);
  const { items, step } = props;
  const rest = items.length - shown;
  const shownItems = items.slice(0, shown).map((item, index) => <Fragment key={props.keyOf(item, index)}>{props.render(item)}</Fragment>);
  return (
    <>
      {props.wrap ? props.wrap(shownItems) : shownItems}
      {rest > 0 && (
        <div className="inline-actions show-more" data-testid="show-more">
          <span className="toolbar-note">
            Showing {shown} of {items.length} {props.noun}
            {props.orderNote ? `, ${props.orderNote}` : ''}.
          </span>
          <button type="button" className="button" onClick={() => setShown((n) => n + step)}>
            Show {Math.min(step, rest)} more
          </button>
        </div>
      )}
    </>
  );
}

/** `items` with those `first` picks moved to the front, each part in its own order (only when the list is long). */
export function firstWhen<T>(items: readonly T[], first: (item: T) => boolean, longerThan: number): readonly T[] {
  if (items.length <= longerThan) return items;
  return [...items.filter(first), ...items.filter((item) => !first(item))];
}
