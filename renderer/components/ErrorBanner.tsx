// Shows a failed Result as its stable code plus the message, so what users report matches what scripts match on.

import type { AppError } from '../api/client';
import { Icon } from './Icon';

export function ErrorBanner({ error, onDismiss }: { error: AppError; onDismiss?: () => void }) {
  return (
    <div className="banner" role="alert" data-error-code={error.code}>
      <Icon name="alert" />
      <div className="banner-body">
        <span className="banner-code">{error.code}</span>
        {error.message}
      </div>
      {onDismiss && (
        <button type="button" className="button ghost" onClick={onDismiss} aria-label="Dismiss error">
          <Icon name="close" />
        </button>
      )}
    </div>
  );
}
