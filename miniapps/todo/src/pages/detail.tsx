/** @jsxImportSource @atrium/sdk */
/**
 * @module One todo: edit its note (a nested setData path), go back.
 */
import { atrium, definePage, type InputDetail } from '@atrium/sdk';
import { loadTodos, saveTodos, type Todo } from '../todos.ts';

export default definePage({
  data: { todo: null as Todo | null, missing: false },

  async onLoad(query) {
    const todo = (await loadTodos()).find((t) => String(t.id) === query.id) ?? null;
    this.setData({ todo, missing: todo === null });
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
  },

  render(data) {
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
      </view>
    );
  },
});
