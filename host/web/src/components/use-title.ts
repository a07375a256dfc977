/** @module Sets the document title for the screen on show. */
import { useEffect } from 'preact/hooks';

/** Titles the tab "`title` · Atrium". */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Atrium` : 'Atrium';
  }, [title]);
}
