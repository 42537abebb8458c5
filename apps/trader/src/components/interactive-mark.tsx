'use client';
// Marks the moment the page is hydrated (its event handlers attached) with the User Timing API:
// performance.mark('exbox:interactive:<name>'). React runs this effect only after the whole root has hydrated, so
// the mark is when a click first does something. The portal's budget benchmark reads it; browsers' own tooling
// shows it too.
import { useEffect } from 'react';

export function InteractiveMark({ name }: { name: string }) {
  useEffect(() => {
    performance.mark(`exbox:interactive:${name}`);
  }, [name]);
  return null;
}
