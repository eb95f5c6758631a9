import { generate } from 'otplib';
import type { ManualClock } from '#src/common/clock.js';

const PERIOD = 30;

/**
 * The test's authenticator app: codes for one secret in strictly increasing
 * time steps of the app's clock. When the clock is still in the step of the
 * last code, it moves the clock on by whole periods instead of waiting for
 * the next step; real time passing in between stays within the ±1 step the
 * server allows.
 */
export class Authenticator {
  private lastStep = -Infinity;
  /** The last code handed out, to replay it. */
  last = '';

  constructor(
    readonly secret: string,
    private readonly clock: ManualClock,
  ) {}

  async next(): Promise<string> {
    const behind = this.lastStep + 1 - this.currentStep();
    if (behind > 0) {
      this.clock.advance(behind * PERIOD * 1000);
    }
    const step = this.currentStep();
    this.lastStep = step;
    this.last = await generate({ secret: this.secret, epoch: step * PERIOD });
    return this.last;
  }

  /** A well-formed code that no step within ±2 of now accepts. */
  async wrong(): Promise<string> {
    const now = Math.floor(this.clock.now() / 1000);
    const offsets = [-2, -1, 0, 1, 2].map((k) => now + k * PERIOD);
    const valid = new Set(await Promise.all(offsets.map((epoch) => generate({ secret: this.secret, epoch }))));
    for (let i = 0; ; i += 1) {
      const code = String(i).padStart(6, '0');
      if (!valid.has(code)) {
        return code;
      }
    }
  }

  private currentStep(): number {
    return Math.floor(this.clock.now() / 1000 / PERIOD);
  }
}
