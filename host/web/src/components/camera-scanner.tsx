/**
 * @module The camera viewfinder: getUserMedia into a <video>, frames drawn into a canvas a few times a
 * second and decoded with jsQR until a code is found.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { loadQrDecoder, pixelsOf } from '../lib/decode-qr.ts';
import { Button } from './button.tsx';
import { Icon } from './icons.tsx';

type CameraState = 'idle' | 'starting' | 'scanning' | 'denied' | 'unavailable' | 'failed';
const FRAME_MS = 150;
const STATE_TEXT: Partial<Record<CameraState, MessageId>> = {
  idle: 'scan.cameraIdle',
  starting: 'scan.cameraStarting',
  denied: 'scan.cameraDenied',
  unavailable: 'scan.cameraUnavailable',
  failed: 'scan.cameraFailed',
};

/** A viewfinder that reports the first QR code it sees, then stops the camera. */
export function CameraScanner(props: { onResult: (text: string) => void }): JSX.Element {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | undefined>(undefined);
  const onResult = useRef(props.onResult);
  onResult.current = props.onResult;
  const [state, setState] = useState<CameraState>(() => ('mediaDevices' in navigator ? 'idle' : 'unavailable'));

  const stop = (): void => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = undefined;
  };

  const start = async (): Promise<void> => {
    setState('starting');
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
      const element = video.current;
      if (!element) return stop();
      element.srcObject = stream.current;
      await element.play();
      setState('scanning');
    } catch (error) {
      stop();
      const name = error instanceof DOMException ? error.name : '';
      setState(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : name === 'NotFoundError' ? 'unavailable' : 'failed');
    }
  };

  // Start at once when the camera was allowed before; otherwise wait for a tap (no surprise prompt).
  useEffect(() => {
    navigator.permissions
      ?.query({ name: 'camera' as PermissionName })
      .then((status) => status.state === 'granted' && void start())
      .catch(() => undefined);
    return stop;
  }, []);

  useEffect(() => {
    if (state !== 'scanning') return;
    const canvas = document.createElement('canvas');
    let timer: ReturnType<typeof setInterval> | undefined;
    let live = true;
    loadQrDecoder().then(
      (decode) => {
        if (!live) return;
        timer = setInterval(() => {
          const element = video.current;
          if (!element || element.readyState < element.HAVE_CURRENT_DATA || element.videoWidth === 0) return;
          const pixels = pixelsOf(element, element.videoWidth, element.videoHeight, canvas, 720);
          const text = pixels && decode(pixels);
          if (!text) return;
          stop();
          setState('idle');
          onResult.current(text);
        }, FRAME_MS);
      },
      () => {
        stop();
        if (live) setState('failed');
      },
    );
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [state]);

  const text = STATE_TEXT[state];
  return (
    <div class={`viewfinder viewfinder-${state}`} data-testid="camera" data-state={state}>
      <video ref={video} muted playsInline autoPlay aria-label={t('scan.cameraLabel')} />
      {state === 'scanning' ? <div class="viewfinder-frame" aria-hidden="true" /> : null}
      {text ? (
        <div class="viewfinder-message">
          <Icon name="camera" />
          <p>{t(text)}</p>
          {state === 'idle' || state === 'failed' || state === 'denied' ? (
            <Button small onClick={() => void start()} testId="camera-start">
              {state === 'idle' ? t('scan.startCamera') : t('common.retry')}
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
