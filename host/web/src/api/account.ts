/**
 * @module Calls about the signed-in person: `/v1/me`, the QR card, devices, and finding people by card.
 */
import { request } from './client.ts';
import type { Card, Device, Me, MeUpdate, Person } from './types.ts';

/** My account. */
export function getMe(signal?: AbortSignal): Promise<Me> {
  return request('GET', '/v1/me', { signal });
}

/** Changes my display name, phone or language. */
export function updateMe(changes: MeUpdate): Promise<Me> {
  return request('PATCH', '/v1/me', { body: changes });
}

/** My "add me" card: its code and the link the QR code encodes. */
export function getCard(): Promise<Card> {
  return request('GET', '/v1/me/card');
}

/** Replaces my card code; QR codes of the old one stop working. */
export function resetCard(): Promise<Card> {
  return request('POST', '/v1/me/card/reset');
}

/** Who a scanned card belongs to. */
export function personByCard(cardCode: string): Promise<Person> {
  return request('GET', `/v1/people/by-card/${encodeURIComponent(cardCode)}`);
}

/** The devices signed in to my account. */
export async function listDevices(): Promise<Device[]> {
  return (await request<{ devices: Device[] }>('GET', '/v1/devices')).devices;
}

/** Renames one of my devices. */
export function renameDevice(deviceId: string, name: string): Promise<Device> {
  return request('PATCH', `/v1/devices/${encodeURIComponent(deviceId)}`, { body: { name } });
}

/** Signs one of my devices out. */
export function revokeDevice(deviceId: string): Promise<void> {
  return request('DELETE', `/v1/devices/${encodeURIComponent(deviceId)}`);
}
