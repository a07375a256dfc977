/** @jsxImportSource @atrium/sdk */
/**
 * @module One todo: edit its note (a nested setData path), share it to a chat (`atrium.shareToChat`), go back.
 * Opened from a shared card by someone who does not have the item, it offers to add it to their list.
 */
import { atrium, definePage, type InputDetail } from '@atrium/sdk';
import { loadTodos, saveTodos, type Todo } from '../todos.ts';

export default definePage({
  data: { todo: null as Todo | null, missing: false, shared: '' },

  async onLoad(query) {
    const todo = (await loadTodos()).find((t) => String(t.id) === query.id) ?? null;
    this.setData({ todo, missing: todo === null, shared: todo === null ? (query.title ?? '').slice(0, 100) : '' });
    if (todo) await atrium.setNavigationBarTitle({ title: todo.title.slice(0, 64) });
  },

  handlers: {
    noted(detail: InputDetail) {
      this.setData({ 'todo.note': detail.value });
    },
    async save() {
      const todo = this.data.todo;
      if (!todo) return;
      const todos = (await loadTodos()).map((t) => (t.id === todo.id ? todo : t));
      await saveTodos(todos);
      await atrium.navigateBack();
    },
    async back() {
      await atrium.navigateBack();
    },
    async share() {
      const todo = this.data.todo;
      if (!todo) return;
      try {
        // The title travels in the query so a friend without this item still sees what it is.
        await atrium.shareToChat({ title: todo.title.slice(0, 100), path: 'pages/detail', query: { id: String(todo.id), title: todo.title.slice(0, 100) } });
        await atrium.showToast({ title: 'Shared' });
      } catch (error) {
        if ((error as { code?: string }).code !== 'CANCELLED') await atrium.showToast({ title: 'Not shared', icon: 'error' });
      }
    },
    async adopt() {
      const title = this.data.shared;
      if (!title) return;
      const todo: Todo = { id: Date.now(), title, done: false, note: '' };
      await saveTodos([...(await loadTodos()), todo]);
      this.setData({ todo, missing: false, shared: '' });
    },
  },

  render(data) {
    if ((data.missing || !data.todo) && data.shared) {
      return (
        <view style={{ padding: 16 }}>
          <text>Shared with you: {data.shared}</text>
          <button type="primary" onTap="adopt">
            Add to my list
          </button>
        </view>
      );
    }
    if (data.missing || !data.todo) {
      return (
        <view style={{ padding: 16 }}>
          <text>This item no longer exists.</text>
          <button onTap="back">Back</button>
        </view>
      );
    }
    return (
      <view style={{ padding: 16 }}>
        <text>{data.todo.title}</text>
        <textarea value={data.todo.note} placeholder="Notes" onInput="noted" />
        <button type="primary" onTap="save">
          Save
        </button>
        <button onTap="share">Share to a chat</button>
      </view>
    );
  },
});
