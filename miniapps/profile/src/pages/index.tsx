/** @jsxImportSource @atrium/sdk */
/**
 * @module The Profile sample: asks for the person's public profile (a consent sheet the first time; a denial
 * is remembered and the app can ask again), and gets a one-use login code its backend exchanges for the
 * openid (see ../../backend/app.ts).
 */
import { atrium, definePage, isAtriumError } from '@atrium/sdk';

export default definePage({
  data: { greeting: '', status: 'Tap a button to begin.', code: '' },

  handlers: {
    async greet() {
      try {
        const profile = await atrium.getUserProfile({ desc: 'To greet you by your name' });
        this.setData({ greeting: `Hello, ${profile.nickname}!`, status: 'You allowed this app to see your profile.' });
      } catch (error) {
        const code = isAtriumError(error) ? error.code : 'APP_ERROR';
        this.setData({ greeting: '', status: code === 'PERMISSION_DENIED' ? 'You said no. You can change your mind: tap the button again.' : `Something went wrong (${code}).` });
      }
    },
    async login() {
      const { code } = await atrium.login();
      this.setData({ code, status: 'Got a one-use login code for the backend (valid 5 minutes).' });
    },
  },

  render(data) {
    return (
      <view style={{ padding: 16 }}>
        <text>{data.greeting || 'Hello, stranger.'}</text>
        <text>{data.status}</text>
        <button type="primary" onTap="greet">
          Greet me
        </button>
        <button onTap="login">Sign in to the backend</button>
        <text>{data.code ? `Login code: ${data.code.slice(0, 6)}…` : ''}</text>
      </view>
    );
  },
});
