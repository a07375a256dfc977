/**
 * @module The shell's router: which screen each path shows, and who may see it (signed-in screens send
 * signed-out visitors to sign in and back; the sign-in screens send signed-in people home).
 */
import type { ComponentType, JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { LocationProvider, Route, Router, useLocation } from 'preact-iso/router';
import { Button } from './components/button.tsx';
import { Loading } from './components/loading.tsx';
import { Logo } from './components/logo.tsx';
import { useI18n } from './i18n/index.ts';
import { MiniAppScreen } from './miniapp/container.tsx';
import { ROUTES, safeNext, signInPath } from './paths.ts';
import { AddFromCard } from './screens/add-from-card.tsx';
import { Bill, Bills } from './screens/bills.tsx';
import { Pay } from './screens/pay.tsx';
import { PaymentCode } from './screens/payment-code.tsx';
import { Pos } from './screens/pos.tsx';
import { MerchantHome, Merchants } from './screens/merchants.tsx';
import { MerchantKeys } from './screens/merchant-keys.tsx';
import { MerchantOrder, MerchantOrders } from './screens/merchant-orders.tsx';
import { MerchantStatement } from './screens/merchant-statement.tsx';
import { MerchantWebhooks } from './screens/merchant-webhooks.tsx';
import { Receive } from './screens/receive.tsx';
import { Review } from './screens/review.tsx';
import { Wallet } from './screens/wallet.tsx';
import { Chat } from './screens/chat.tsx';
import { Chats } from './screens/chats.tsx';
import { JoinGroup } from './screens/join-group.tsx';
import { ConfirmLogin } from './screens/confirm-login.tsx';
import { DeviceLogin } from './screens/device-login.tsx';
import { Contacts } from './screens/contacts.tsx';
import { Devices } from './screens/devices.tsx';
import { Home } from './screens/home.tsx';
import { LoginQr } from './screens/login-qr.tsx';
import { Scan } from './screens/scan.tsx';
import { Settings } from './screens/settings.tsx';
import { SignIn } from './screens/signin.tsx';
import { SignUp } from './screens/signup.tsx';
import { restoreSession, useSession } from './state/session.ts';

/** Replaces the current entry with `to`. */
function Redirect(props: { to: string }): null {
  const { route } = useLocation();
  useEffect(() => route(props.to, true), [props.to]);
  return null;
}

/** Only for signed-in people; others go to sign in and come back here afterwards. */
function signedIn<P extends object>(Screen: ComponentType<P>): ComponentType<P> {
  return function SignedInOnly(props: P): JSX.Element | null {
    const session = useSession();
    const { url } = useLocation();
    if (session.status === 'signed-in') return <Screen {...props} />;
    // After signing out on purpose, start afresh; otherwise come back here after signing in.
    return <Redirect to={session.status === 'signed-out' && session.reason === 'signed-out' ? ROUTES.signIn : signInPath(url)} />;
  };
}

/** Only for signed-out visitors; signed-in people go on to `?next=` or home. */
function signedOut<P extends object>(Screen: ComponentType<P>): ComponentType<P> {
  return function SignedOutOnly(props: P): JSX.Element | null {
    const session = useSession();
    const { query } = useLocation();
    if (session.status === 'signed-in') return <Redirect to={safeNext(query.next)} />;
    return <Screen {...props} />;
  };
}

function Root(): JSX.Element {
  const session = useSession();
  return <Redirect to={session.status === 'signed-in' ? ROUTES.home : ROUTES.loginQr} />;
}

const Screens = {
  signIn: signedOut(SignIn),
  signUp: signedOut(SignUp),
  loginQr: signedOut(LoginQr),
  confirmLogin: signedIn(ConfirmLogin),
  deviceLogin: signedIn(DeviceLogin),
  review: signedIn(Review),
  addFromCard: signedIn(AddFromCard),
  home: signedIn(Home),
  chats: signedIn(Chats),
  chat: signedIn(Chat),
  joinGroup: signedIn(JoinGroup),
  contacts: signedIn(Contacts),
  devices: signedIn(Devices),
  scan: signedIn(Scan),
  settings: signedIn(Settings),
  miniApp: signedIn(MiniAppScreen),
  wallet: signedIn(Wallet),
  bills: signedIn(Bills),
  bill: signedIn(Bill),
  receive: signedIn(Receive),
  paymentCode: signedIn(PaymentCode),
  pay: signedIn(Pay),
  pos: signedIn(Pos),
  merchants: signedIn(Merchants),
  merchant: signedIn(MerchantHome),
  merchantOrders: signedIn(MerchantOrders),
  merchantOrder: signedIn(MerchantOrder),
  merchantStatement: signedIn(MerchantStatement),
  merchantWebhooks: signedIn(MerchantWebhooks),
  merchantKeys: signedIn(MerchantKeys),
};

function Unreachable(): JSX.Element {
  const { t } = useI18n();
  return (
    <div class="splash">
      <Logo size={56} />
      <p>{t('app.unreachable')}</p>
      <Button onClick={() => void restoreSession()} testId="retry">
        {t('common.retry')}
      </Button>
    </div>
  );
}

/** The whole shell. */
export function App(): JSX.Element {
  const session = useSession();
  if (session.status === 'loading') {
    return (
      <div class="splash">
        <Logo size={56} />
        <Loading />
      </div>
    );
  }
  if (session.status === 'unreachable') return <Unreachable />;
  return (
    <LocationProvider>
      <Router>
        <Route path={ROUTES.root} component={Root} />
        <Route path={ROUTES.signIn} component={Screens.signIn} />
        <Route path={ROUTES.signUp} component={Screens.signUp} />
        <Route path={ROUTES.loginQr} component={Screens.loginQr} />
        <Route path={ROUTES.confirmLogin} component={Screens.confirmLogin} />
        <Route path={ROUTES.deviceLogin} component={Screens.deviceLogin} />
        <Route path={ROUTES.review} component={Screens.review} />
        <Route path={ROUTES.addFromCard} component={Screens.addFromCard} />
        <Route path={ROUTES.home} component={Screens.home} />
        <Route path={ROUTES.chats} component={Screens.chats} />
        <Route path={ROUTES.chat} component={Screens.chat} />
        <Route path={ROUTES.joinGroup} component={Screens.joinGroup} />
        <Route path={ROUTES.contacts} component={Screens.contacts} />
        <Route path={ROUTES.devices} component={Screens.devices} />
        <Route path={ROUTES.scan} component={Screens.scan} />
        <Route path={ROUTES.settings} component={Screens.settings} />
        <Route path={ROUTES.wallet} component={Screens.wallet} />
        <Route path={ROUTES.bills} component={Screens.bills} />
        <Route path={ROUTES.bill} component={Screens.bill} />
        <Route path={ROUTES.receive} component={Screens.receive} />
        <Route path={ROUTES.paymentCode} component={Screens.paymentCode} />
        <Route path={ROUTES.pay} component={Screens.pay} />
        <Route path={ROUTES.pos} component={Screens.pos} />
        <Route path={ROUTES.merchants} component={Screens.merchants} />
        <Route path={ROUTES.merchant} component={Screens.merchant} />
        <Route path={ROUTES.merchantOrders} component={Screens.merchantOrders} />
        <Route path={ROUTES.merchantOrder} component={Screens.merchantOrder} />
        <Route path={ROUTES.merchantStatement} component={Screens.merchantStatement} />
        <Route path={ROUTES.merchantWebhooks} component={Screens.merchantWebhooks} />
        <Route path={ROUTES.merchantKeys} component={Screens.merchantKeys} />
        <Route path={ROUTES.receiveLink} component={Screens.pay} />
        <Route path={ROUTES.miniApp} component={Screens.miniApp} />
        <Route path={ROUTES.miniAppPage} component={Screens.miniApp} />
        <Route default component={Root} />
      </Router>
    </LocationProvider>
  );
}
