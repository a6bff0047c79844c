import { Icon } from './Icon';

/** What a screen shows while its operations are not part of this build yet (they answer `not_found`). */
export function NotAvailable({ what }: { what: string }) {
  return (
    <div className="empty-state" data-state="not-available">
      <Icon name="inbox" />
      <h2>Not available yet</h2>
      <p>{what} is not part of this build yet. Everything else keeps working; nothing was changed.</p>
    </div>
  );
}
