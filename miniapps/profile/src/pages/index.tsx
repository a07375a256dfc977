/** @jsxImportSource @atrium/sdk */
/**
 * @module The Profile sample: asks for the person's public profile (a consent sheet the first time; a denial
 * is remembered and the app can ask again), and gets a one-use login code its backend exchanges for the
 * openid (see ../../backend/app.ts).
 */
import { atrium, definePage, isAtriumError } from '@atrium/sdk';

/**
 * This sample's backend (../../backend/app.ts). `.test` names never resolve on the internet (RFC 2606): the
 * development host answers them with the sample's backend. A real app lists its own https domain here.
 */
const BACKEND = 'https://profile-backend.atrium-samples.test';

export default definePage({
  data: { greeting: '', status: 'Tap a button to begin.', openid: '' },

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
      try {
        const { code } = await atrium.login();
        const res = await atrium.request({ url: `${BACKEND}/session`, method: 'POST', data: { code } });
        const body = res.data as { session?: string; openid?: string; error?: string };
        if (res.statusCode !== 200 || !body.session) {
          this.setData({ openid: '', status: `The backend refused the sign-in (${body.error ?? res.statusCode}).` });
          return;
        }
        const me = await atrium.request({ url: `${BACKEND}/me`, header: { authorization: `Bearer ${body.session}` } });
        const openid = (me.data as { openid?: string }).openid ?? '';
        this.setData({ openid, status: 'Signed in to the backend: it exchanged the one-use code for your openid.' });
      } catch (error) {
        this.setData({ openid: '', status: `Could not sign in (${isAtriumError(error) ? error.code : 'APP_ERROR'}).` });
      }
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
        <text>{data.openid ? `Your openid here: ${data.openid}` : ''}</text>
      </view>
    );
  },
});
