/**
 * @module The Todo sample's data: items kept in the person's server-side app storage.
 */
import { atrium } from '@atrium/sdk';

/** One item. */
export interface Todo {
  id: number;
  title: string;
  done: boolean;
  note: string;
}

const KEY = 'todos';

/** The stored items (none on first use). */
export async function loadTodos(): Promise<Todo[]> {
  const { value } = await atrium.storage.get({ key: KEY });
  return Array.isArray(value) ? (value as unknown as Todo[]) : [];
}

/** Stores the items. */
export async function saveTodos(todos: Todo[]): Promise<void> {
  await atrium.storage.set({ key: KEY, value: todos as unknown as never });
}
