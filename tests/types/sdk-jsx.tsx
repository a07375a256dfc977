/** @jsxImportSource @atrium/sdk */
/**
 * @module Type-level checks of the SDK's JSX (run by `tsc --noEmit`): typed props per component, event props
 * that take handler names only, no unknown props, no children for leaf components.
 */
import { definePage, type ViewElement } from '@atrium/sdk';

const ok: ViewElement = (
  <view style={{ padding: '8px 12px', display: 'flex' }} onTap="open" dataset={{ id: 3 }}>
    <text maxLines={2}>Hello {1} {true && 'world'}</text>
    <image src="https://example.com/a.png" mode="aspectFit" />
    <button type="primary" loading={false} onTap="save">
      Save
    </button>
    <list onReachEnd="more">
      {[1, 2].map((n) => (
        <view key={n}>{n}</view>
      ))}
    </list>
    <navigator url="/pages/detail?id=3">More</navigator>
    <input value="" onInput="typed" />
    <>
      <icon type="success" />
    </>
  </view>
);
void ok;

// @ts-expect-error a function is not a handler name
const fnHandler = <view onTap={() => undefined} />;
void fnHandler;

// @ts-expect-error no such component
const unknown = <script />;
void unknown;

// @ts-expect-error no such prop
const innerHtml = <view dangerouslySetInnerHTML={{ __html: '<b>x</b>' }} />;
void innerHtml;

// @ts-expect-error style is an object, never a string
const styleString = <view style="color: red" />;
void styleString;

// @ts-expect-error unknown style property
const badStyle = <view style={{ background: 'url(https://x)' }} />;
void badStyle;

// @ts-expect-error image has no children
const imageChildren = <image src="a.png">x</image>;
void imageChildren;

// @ts-expect-error image needs src
const noSrc = <image />;
void noSrc;

// @ts-expect-error wrong prop type
const wrongType = <slider value="3" />;
void wrongType;

function Item(props: { label: string }): ViewElement {
  return <text>{props.label}</text>;
}
const component = <Item key="a" label="x" />;
void component;
// @ts-expect-error missing prop of a function component
const missing = <Item />;
void missing;

export default definePage({
  data: { count: 0, items: [{ done: false, title: 'a' }] },
  handlers: {
    add() {
      this.setData({ count: this.data.count + 1 });
      this.setData({ 'items[0].done': true, 'user.name': 'x' });
      // @ts-expect-error count is a number
      this.setData({ count: 'one' });
      this.other();
    },
    other() {},
  },
  render(data) {
    return <button onTap="add">{data.count}</button>;
  },
});
