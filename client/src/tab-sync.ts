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

type Message = TokensMessage | LogoutMessage;

export interface TabSyncHandlers {
  onTokens(accessToken: string, refreshToken: string, replaces: string | null): void;
  onLogout(refreshToken: string): void;
}

function parse(data: unknown): Message | null {
  if (typeof data !== 'object' || data === null) {
    return null;
  }
  const message = data as Record<string, unknown>;
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
  private readonly waiters = new Set<(message: TokensMessage) => void>();

  constructor(
    private readonly locks: LockManagerLike | null,
    private readonly channel: ChannelLike | null,
    private readonly lockName: string,
    private readonly handlers: TabSyncHandlers,
  ) {
    channel?.addEventListener('message', (event) => this.receive(event.data));
  }

  /** Runs `task` while holding the origin-wide refresh lock, or directly when there is no lock manager. */
  withLock<T>(task: () => Promise<T>): Promise<T> {
    return this.locks ? this.locks.request(this.lockName, task) : task();
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
    return new Promise((resolve) => {
      const done = (value: string | null) => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve(value);
      };
      const waiter = (message: TokensMessage) => {
        if (usable(message)) {
          done(message.access_token);
        }
      };
      const timer = setTimeout(() => done(null), waitMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.channel?.close();
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
    if (message?.type === 'tokens') {
      this.latest = message;
      this.waiters.forEach((waiter) => waiter(message));
      this.handlers.onTokens(
        message.access_token,
        message.refresh_token,
        typeof message.replaces === 'string' ? message.replaces : null,
      );
    } else if (message?.type === 'logout') {
      this.latest = null;
      this.handlers.onLogout(message.refresh_token);
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
