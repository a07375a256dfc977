/**
 * @module `useQrUpload`: decode a QR code from a picture the person picks, for the Scan screen and the scan
 * sheet an app opens — with the busy state and a localized problem when the picture holds no code.
 */
import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.ts';
import { decodeQrFile } from './decode-qr.ts';

/** What {@link useQrUpload} gives a screen. */
export interface QrUpload {
  /** The file input's change handler. */
  upload: (event: TargetedEvent<HTMLInputElement>) => Promise<void>;
  reading: boolean;
  problem: string | undefined;
  setProblem: (problem: string | undefined) => void;
}

/** Calls `onText` with the decoded text of the picked picture, or sets `problem`. */
export function useQrUpload(onText: (text: string) => void): QrUpload {
  const { t } = useI18n();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [reading, setReading] = useState(false);
  const upload = async (event: TargetedEvent<HTMLInputElement>): Promise<void> => {
    const input = event.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setReading(true);
    setProblem(undefined);
    try {
      const text = await decodeQrFile(file);
      if (text) onText(text);
      else setProblem(t('scan.noCode'));
    } catch {
      setProblem(t('scan.notImage'));
    } finally {
      setReading(false);
    }
  };
  return { upload, reading, problem, setProblem };
}
