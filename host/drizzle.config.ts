import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './host/src/db/schema.ts',
  out: './host/drizzle',
});
