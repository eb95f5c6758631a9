import type { ChannelLike, LockManagerLike } from './types.js';

interface TokensMessage {
  type: 'tokens';
  access_token: string;
  refresh_token: string;
  /** Epoch ms when the access token expires. */
  expires_at: number;
  /** The refresh token this pair rotated, when it came from a refresh: names the session it continues. */
  replaces?: string;
}

interface LogoutMessage {
  type: 'logout';
  refresh_token: string;
}

/** A tab took (`held`) or is about to give back the refresh lock. */
interface LockMessage {
  type: 'lock';
  holder: string;
  held: boolean;
}

type Message = TokensMessage | LogoutMessage | LockMessage;

export interface TabSyncHandlers {
  onTokens(accessToken: string, refreshToken: string, replaces: string | null): void;
  onLogout(refreshToken: string): void;
}

function parse(data: unknown): Message | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const message = data as Record<string, unknown>;
  if (message.type === 'lock') {
    return typeof message.holder === 'string' && typeof message.held === 'boolean'
      ? (message as unknown as LockMessage)
      : null;
  }
  if (typeof message.refresh_token !== 'string') {
    return null;
  }
  if (message.type === 'tokens' && typeof message.access_token === 'string' && typeof message.expires_at === 'number') {
    return message as unknown as TokensMessage;
  }
  return message.type === 'logout' ? (message as unknown as LogoutMessage) : null;
}

/**
 * Coordinates the tabs of one origin: a Web Lock serialises refreshes, and a BroadcastChannel
 * hands a freshly rotated pair to the other tabs so they need not spend the refresh token again
 * (RFC 9700 §4.14.2: a rotated refresh token used twice revokes the session).
 * Either part may be missing (React Native, Node 20, old browsers); the client still works per tab.
 */
export class TabSync {
  private latest: TokensMessage | null = null;
  /** Called with every message heard, after this tab has taken it in (see `hear`). */
  private readonly listeners = new Set<(message: Message) => void>();
  /** Names this tab in its lock messages; not a secret. */
  private readonly id = Math.random().toString(36).slice(2);
  /** Tabs heard taking the refresh lock and not yet heard giving it back. */
  private readonly holders = new Set<string>();

  constructor(
    private readonly locks: LockManagerLike | null,
    private readonly channel: ChannelLike | null,
    private readonly lockName: string,
    private readonly handlers: TabSyncHandlers,
  ) {
    channel?.addEventListener('message', (event) => this.receive(event.data));
  }

  /**
   * Runs `task` while holding the origin-wide refresh lock, or directly when there is no lock manager.
   *
   * The lock and the channel are separate pipes, so a tab can be granted the lock before it hears the message its
   * previous holder posted just before letting go, and its localStorage can lag as well: it would then spend a token
   * that tab already rotated. So each holder says on the channel when it takes the lock and when it is about to give
   * it back; a tab granted the lock while it still counts another holder first waits, up to `waitMs`, for that
   * holder's last word, which comes after the holder's rotated pair (one sender's messages arrive in order).
   */
  withLock<T>(task: () => Promise<T>, waitMs: number): Promise<T> {
    const locks = this.locks;
    if (!locks) {
      return task();
    }
    return locks.request(this.lockName, async () => {
      await this.othersReleased(waitMs);
      this.post({ type: 'lock', holder: this.id, held: true });
      try {
        return await task();
      } finally {
        this.post({ type: 'lock', holder: this.id, held: false });
      }
    });
  }

  announceTokens(accessToken: string, refreshToken: string, expiresAt: number, replaces: string | null): void {
    this.latest = { type: 'tokens', access_token: accessToken, refresh_token: refreshToken, expires_at: expiresAt };
    if (replaces !== null) {
      this.latest.replaces = replaces;
    }
    this.post(this.latest);
  }

  announceLogout(refreshToken: string): void {
    this.latest = null;
    this.post({ type: 'logout', refresh_token: refreshToken });
  }

  /**
   * The access token another tab obtained together with `refreshToken`, waiting up to `waitMs`
   * for its message: the lock may be granted before the message that preceded its release arrives.
   */
  peerAccessToken(refreshToken: string, waitMs: number): Promise<string | null> {
    const usable = (message: TokensMessage) =>
      message.refresh_token === refreshToken && message.expires_at > Date.now();
    const latest = this.latest;
    if (latest && usable(latest)) {
      return Promise.resolve(latest.access_token);
    }
    if (!this.channel || waitMs <= 0) {
      return Promise.resolve(null);
    }
    return this.hear((message) => (message.type === 'tokens' && usable(message) ? message.access_token : null), waitMs);
  }

  close(): void {
    this.channel?.close();
  }

  /** Resolves when no other holder is counted, or after `waitMs`. */
  private async othersReleased(waitMs: number): Promise<void> {
    if (this.holders.size === 0) {
      return;
    }
    const released = await this.hear(() => (this.holders.size === 0 ? true : null), waitMs);
    if (released === null) {
      // A tab closed while it held the lock never says it let go.
      this.holders.clear();
    }
  }

  /** The first non-null answer of `accept` to a message heard within `waitMs`, or null. */
  private hear<T>(accept: (message: Message) => T | null, waitMs: number): Promise<T | null> {
    return new Promise((resolve) => {
      const done = (value: T | null) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(value);
      };
      const listener = (message: Message) => {
        const value = accept(message);
        if (value !== null) {
          done(value);
        }
      };
      const timer = setTimeout(() => done(null), waitMs);
      this.listeners.add(listener);
    });
  }

  private post(message: Message): void {
    try {
      this.channel?.postMessage(message);
    } catch {
      // A closed channel only costs the other tabs a refresh of their own.
    }
  }

  private receive(data: unknown): void {
    const message = parse(data);
    if (message === null) {
      return;
    }
    if (message.type === 'lock') {
      this.heardLock(message);
    } else if (message.type === 'tokens') {
      this.latest = message;
      this.handlers.onTokens(
        message.access_token,
        message.refresh_token,
        typeof message.replaces === 'string' ? message.replaces : null,
      );
    } else {
      this.latest = null;
      this.handlers.onLogout(message.refresh_token);
    }
    this.listeners.forEach((listener) => listener(message));
  }

  private heardLock({ holder, held }: LockMessage): void {
    if (held) {
      this.holders.add(holder);
    } else {
      this.holders.delete(holder);
    }
  }
}

/** `navigator.locks` when the platform has it. */
export function defaultLocks(): LockManagerLike | null {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks ?? null;
}

/** A BroadcastChannel when the platform has one; unref'd in Node so it never keeps a process alive. */
export function defaultChannel(name: string): ChannelLike | null {
  const Channel = (globalThis as { BroadcastChannel?: new (name: string) => ChannelLike }).BroadcastChannel;
  if (!Channel) {
    return null;
  }
  const channel = new Channel(name);
  (channel as { unref?: () => void }).unref?.();
  return channel;
}
