'use client';
// Light and dark themes: the choice is kept in localStorage; without one the system setting decides. The inline
// script in the layout applies it before first paint, so this only flips it.
import { useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';
export const themeStorageKey = 'exbox.theme';

/** Runs before React in <head>: no flash of the wrong theme. */
export const themeBootScript = `try{var t=localStorage.getItem('${themeStorageKey}');if(t!=='light'&&t!=='dark'){t=matchMedia('(prefers-color-scheme: light)').matches?'light':'dark'}document.documentElement.dataset.theme=t}catch(e){}`;

export function currentTheme(): Theme {
  return document.documentElement.dataset['theme'] === 'light' ? 'light' : 'dark';
}

/** The theme now, updated when the toggle flips it (charts restyle themselves on this). */
export function useTheme(): Theme {
  const [theme, setTheme] = useState<Theme>('dark');
  useEffect(() => {
    setTheme(currentTheme());
    const observer = new MutationObserver(() => setTheme(currentTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

export function ThemeToggle() {
  const theme = useTheme();
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={`Switch to the ${next} theme`}
      title={`Switch to the ${next} theme`}
      onClick={() => {
        document.documentElement.dataset['theme'] = next;
        try {
          localStorage.setItem(themeStorageKey, next);
        } catch {
          // Private mode: the choice lasts for this page only.
        }
      }}
    >
      {theme === 'dark' ? '☀' : '☾'}
    </button>
  );
}
