import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { OfficeSchema } from '../schema.js';
import { Mailer, type SmtpSettings } from './mailer.js';
import { remindDueDates } from './reminders.js';
import { remindOutgoing } from '../outgoing/reminders.js';
import { remindTransfers } from '../dossiers/reminders.js';
import { Rounds } from '../tools/rounds.js';

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

/**
 * The office's background work for notifications: due-date reminders every few minutes and, with
 * SMTP configured, mail every half minute. Every process of the office may run one: the reminders'
 * keys and the mailer's row locks keep the work from being done twice. A failed round is logged and
 * the next one comes as usual.
 */
export class NotificationWorker {
  readonly #o: NotificationWorkerOptions;
  readonly #mailer: Mailer | null;
  readonly #rounds: Rounds;
  #started = false;

  constructor(options: NotificationWorkerOptions) {
    this.#o = options;
    this.#rounds = new Rounds(options.logger);
    this.#mailer = options.smtp
      ? new Mailer({ db: options.db, smtp: options.smtp, ...(options.logger ? { logger: options.logger } : {}) })
      : null;
  }

  start(): void {
    if (this.#started || this.#rounds.stopped) return;
    this.#started = true;
    const { db, logger } = this.#o;
    this.#rounds.every(this.#o.firstReminderMs ?? 10_000, this.#o.reminderEveryMs ?? 5 * 60_000, 'due-date reminders', async () => {
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
      this.#rounds.every(every, every, 'mailing notifications', async () => {
        // A full batch means more may be waiting: go on until a batch is short or sends nothing.
        for (;;) {
          const round = await mailer.sendDue();
          if (this.#rounds.stopped || round.sent === 0 || !round.more) break;
        }
      });
    }
  }

  /** Stops the timers and waits for a round under way to end. */
  async stop(): Promise<void> {
    await this.#rounds.stop();
    this.#mailer?.close();
  }
}
