import { Injectable } from '@nestjs/common';

/**
 * The one source of time (STYLE 13): services ask the injected `Clock`, never `Date.now()`, so a test moves
 * time forward instead of sleeping until a token, a code or a window expires.
 */
export abstract class Clock {
  /** Epoch milliseconds. */
  abstract now(): number;
}

@Injectable()
export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}

/**
 * A clock a test moves: the real time plus whatever the test has added, so rows written one after another still
 * order by time, and `advance()` stands in for a sleep.
 */
export class ManualClock extends Clock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
