/**
 * @module Every table, for drizzle-kit and the typed database handle. Domains own their tables.
 */
export * from '../identity/schema.ts';
export * from '../contacts/schema.ts';
export * from '../apps/schema.ts';
export * from '../developer/schema.ts';
export * from '../wallet/schema.ts';
export * from '../merchants/schema.ts';
export * from '../messaging/schema.ts';
