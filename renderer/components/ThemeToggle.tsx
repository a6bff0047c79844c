import { useTheme, type ThemePreference } from '../lib/theme';
import { Icon, type IconName } from './Icon';

const CHOICES: readonly { value: ThemePreference; label: string; icon: IconName }[] = [
  { value: 'light', label: 'Light theme', icon: 'sun' },
  { value: 'system', label: 'Follow system theme', icon: 'monitor' },
  { value: 'dark', label: 'Dark theme', icon: 'moon' },
];

export function ThemeToggle() {
  const [preference, choose] = useTheme();
  return (
    <div className="theme-toggle" role="group" aria-label="Theme">
      {CHOICES.map((choice) => (
        <button
          key={choice.value}
          type="button"
          aria-pressed={preference === choice.value}
          aria-label={choice.label}
          title={choice.label}
          onClick={() => choose(choice.value)}
        >
          <Icon name={choice.icon} />
        </button>
      ))}
    </div>
  );
}
