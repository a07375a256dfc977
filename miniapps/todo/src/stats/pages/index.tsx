/** @jsxImportSource @atrium/sdk */
/**
 * @module The Stats page of the Todo sample: a lazily loaded sub-package (manifest `subpackages`, root `stats`).
 * Its code is in its own bundle (`subpackages/stats/app.js`), which the runtime fetches and runs in the session
 * only when the person first opens this page. It imports the same helpers as the main package; the bundle
 * carries its own copy of them and of the SDK.
 */
import { atrium, definePage, type TapDetail } from '@atrium/sdk';
import { loadTodos, saveTodos, type Todo } from '../../todos.ts';

/** The figures the page shows. */
function figures(todos: Todo[]): { total: number; done: number; longest: string; loading: boolean } {
  const longest = todos.reduce((best, t) => (t.title.length > best.length ? t.title : best), '');
  return { total: todos.length, done: todos.filter((t) => t.done).length, longest, loading: false };
}

export default definePage({
  data: { total: 0, done: 0, longest: '', loading: true },

  async onLoad() {
    this.setData(figures(await loadTodos()));
  },

  handlers: {
    async completeAll(_detail: TapDetail) {
      const todos = (await loadTodos()).map((t) => ({ ...t, done: true }));
      await saveTodos(todos);
      this.setData(figures(todos));
      await atrium.showToast({ title: 'All done', icon: 'success' });
    },
  },

  render(data) {
    const percent = data.total === 0 ? 0 : Math.round((data.done / data.total) * 100);
    return (
      <view style={{ padding: 16 }}>
        <text>{data.loading ? 'Counting…' : `Stats: ${data.done} of ${data.total} done (${percent}%)`}</text>
        {data.longest ? <text>{`Longest: ${data.longest}`}</text> : null}
        <button onTap="completeAll">Complete all</button>
        <navigator openType="navigateBack">Back to the list</navigator>
      </view>
    );
  },
});
