// Line icons for the account pages, drawn inline (no icon font, no emoji that some systems lack). Decorative:
// every icon sits next to a text that names the thing.
import type { ReactNode } from 'react';

function Icon({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export type IconName = 'overview' | 'shield' | 'key' | 'wallet' | 'lock' | 'laptop' | 'phone' | 'mail' | 'life-buoy';

export function AccountIcon({ name, size }: { name: IconName; size?: number }) {
  switch (name) {
    case 'overview':
      return (
        <Icon size={size}>
          <rect x="3" y="3" width="7" height="9" rx="1.5" />
          <rect x="14" y="3" width="7" height="5" rx="1.5" />
          <rect x="14" y="12" width="7" height="9" rx="1.5" />
          <rect x="3" y="16" width="7" height="5" rx="1.5" />
        </Icon>
      );
    case 'shield':
      return (
        <Icon size={size}>
          <path d="M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6l8-3z" />
          <path d="M9 12l2 2 4-4" />
        </Icon>
      );
    case 'key':
      return (
        <Icon size={size}>
          <circle cx="8" cy="15" r="4" />
          <path d="M10.8 12.2L20 3M16 7l3 3M14 9l2 2" />
        </Icon>
      );
    case 'wallet':
      return (
        <Icon size={size}>
          <path d="M4 7h15a1 1 0 011 1v11a1 1 0 01-1 1H5a2 2 0 01-2-2V6a2 2 0 012-2h12v3" />
          <circle cx="16" cy="13.5" r="1.2" />
        </Icon>
      );
    case 'lock':
      return (
        <Icon size={size}>
          <rect x="4" y="10" width="16" height="11" rx="2" />
          <path d="M8 10V7a4 4 0 018 0v3" />
          <path d="M12 14.5v2.5" />
        </Icon>
      );
    case 'laptop':
      return (
        <Icon size={size}>
          <rect x="4" y="5" width="16" height="11" rx="1.5" />
          <path d="M2 19h20" />
        </Icon>
      );
    case 'phone':
      return (
        <Icon size={size}>
          <rect x="7" y="2.5" width="10" height="19" rx="2" />
          <path d="M11 18.5h2" />
        </Icon>
      );
    case 'mail':
      return (
        <Icon size={size}>
          <rect x="3" y="5" width="18" height="14" rx="2" />
          <path d="M3.5 6.5L12 13l8.5-6.5" />
        </Icon>
      );
    case 'life-buoy':
      return (
        <Icon size={size}>
          <circle cx="12" cy="12" r="9" />
          <circle cx="12" cy="12" r="3.5" />
          <path d="M5.6 5.6l3.9 3.9M14.5 14.5l3.9 3.9M18.4 5.6l-3.9 3.9M9.5 14.5l-3.9 3.9" />
        </Icon>
      );
  }
}
