import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import { Mailer, type SmtpSettings } from './mailer.js';
import { remindDueDates } from './reminders.js';
import { remindOutgoing } from '../outgoing/reminders.js';
import { remindTransfers } from '../dossiers/reminders.js';

export interface NotificationWorkerOptions {
  readonly db: Kysely<OfficeSchema>;
  /** Mails notifications too when set. */
  readonly smtp?: SmtpSettings | null;
  readonly logger?: FastifyBaseLogger;
  /** How often due dates are looked at (5 minutes by default; the first look comes `firstReminderMs` after start). */
  readonly reminderEveryMs?: number;
  readonly firstReminderMs?: number;
  /** How often new notifications are mailed (30 s by default). */
  readonly mailEveryMs?: number;
}

interface Loop {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * The office's background work for notifications: due-date reminders every few minutes and, with
 * SMTP configured, mail every half minute. Every process of the office may run one: the reminders'
 * keys and the mailer's row locks keep the work from being done twice. A failed round is logged and
 * the next one comes as usual.
 */
export class NotificationWorker {
  readonly #o: NotificationWorkerOptions;
  readonly #mailer: Mailer | null;
  #started = false;
  #stopped = false;
  readonly #loops: Loop[] = [];

  constructor(options: NotificationWorkerOptions) {
    this.#o = options;
    this.#mailer = options.smtp
      ? new Mailer({ db: options.db, smtp: options.smtp, ...(options.logger ? { logger: options.logger } : {}) })
      : null;
  }

  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    const { db, logger } = this.#o;
    this.#every(this.#o.firstReminderMs ?? 10_000, this.#o.reminderEveryMs ?? 5 * 60_000, 'due-date reminders', async () => {
      const counts = await remindDueDates(db);
      if (counts.dueSoon + counts.overdue > 0) logger?.info(counts, 'due-date reminders given');
      const outgoing = await remindOutgoing(db);
      if (outgoing.unissued + outgoing.lateReplies > 0) logger?.info(outgoing, 'outgoing reminders given');
      const transfers = await remindTransfers(db);
      if (transfers.soon + transfers.overdue > 0) logger?.info(transfers, 'archive transfer reminders given');
    });
    const mailer = this.#mailer;
    if (mailer) {
      const every = this.#o.mailEveryMs ?? 30_000;
      this.#every(every, every, 'mailing notifications', async () => {
        // A full batch means more may be waiting: go on until a batch is short or sends nothing.
        for (;;) {
          const round = await mailer.sendDue();
          if (this.#stopped || round.sent === 0 || !round.more) break;
        }
      });
    }
  }

  /** Stops the timers and waits for a round under way to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const loop of this.#loops) if (loop.timer) clearTimeout(loop.timer);
    await Promise.all(this.#loops.map((loop) => loop.running));
    this.#mailer?.close();
  }

  #every(firstMs: number, everyMs: number, what: string, round: () => Promise<void>): void {
    const loop: Loop = { timer: null, running: null };
    const run = () => {
      loop.timer = null;
      loop.running = round()
        .catch((error: unknown) => this.#o.logger?.error({ err: error }, `${what} failed; trying again later`))
        .finally(() => {
          loop.running = null;
          if (!this.#stopped) schedule(everyMs);
        });
    };
    const schedule = (ms: number) => {
      loop.timer = setTimeout(run, ms);
      // The server keeps the process alive, not this timer.
      loop.timer.unref();
    };
    this.#loops.push(loop);
    schedule(firstMs);
  }
}
