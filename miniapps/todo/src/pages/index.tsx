/** @jsxImportSource @atrium/sdk */
/**
 * @module The Todo list: add, complete (a `setData` path update of one item), clear done items, open one, and
 * a link to the Stats page, which lives in the lazily loaded `stats` sub-package.
 */
import { atrium, definePage, type InputDetail, type TapDetail } from '@atrium/sdk';
import { loadTodos, saveTodos, type Todo } from '../todos.ts';

export default definePage({
  data: { todos: [] as Todo[], draft: '', loading: true },

  async onLoad() {
    this.setData({ todos: await loadTodos(), loading: false });
  },

  async onShow() {
    if (!this.data.loading) this.setData({ todos: await loadTodos() });
  },

  handlers: {
    typed(detail: InputDetail) {
      this.setData({ draft: detail.value });
    },
    async add() {
      const title = this.data.draft.trim();
      if (!title) return;
      const todo: Todo = { id: Date.now(), title, done: false, note: '' };
      this.setData({ [`todos[${this.data.todos.length}]`]: todo, draft: '' });
      await saveTodos(this.data.todos);
    },
    async toggle(detail: TapDetail) {
      const index = Number(detail.dataset.index);
      const todo = this.data.todos[index];
      if (!todo) return;
      this.setData({ [`todos[${index}].done`]: !todo.done });
      await saveTodos(this.data.todos);
    },
    async clearDone() {
      const left = this.data.todos.filter((t) => !t.done);
      this.setData({ todos: left });
      await saveTodos(left);
      await atrium.showToast({ title: 'Cleared', icon: 'success' });
    },
    async open(detail: TapDetail) {
      await atrium.navigateTo({ url: `pages/detail?id=${String(detail.dataset.id)}` });
    },
  },

  render(data) {
    const left = data.todos.filter((t) => !t.done).length;
    return (
      <view style={{ padding: 16 }}>
        <view style={{ display: 'flex', gap: 8 }}>
          <input value={data.draft} placeholder="What needs doing?" onInput="typed" onConfirm="add" />
          <button type="primary" onTap="add">
            Add
          </button>
        </view>
        <text>{data.loading ? 'Loading…' : `${left} left of ${data.todos.length}`}</text>
        <list>
          {data.todos.map((todo, index) => (
            <view key={todo.id} style={{ display: 'flex', gap: 8 }}>
              <checkbox checked={todo.done} onChange="toggle" dataset={{ index }} />
              <text>{todo.title}</text>
              <button size="mini" onTap="open" dataset={{ id: todo.id }}>
                Details
              </button>
            </view>
          ))}
        </list>
        <button onTap="clearDone">Clear done</button>
        <navigator url="/stats/pages/index">Stats</navigator>
      </view>
    );
  },
});
