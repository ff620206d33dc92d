import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { OfficeSchema } from '../schema.js';
import { shorten } from './reminders.js';

/** Where the office sends mail: `smtp://user:pass@host:587` (or `smtps://…:465`) and the sender address. */
export interface SmtpSettings {
  readonly url: string;
  readonly from: string;
}

/** Refuses settings that could never send, at start rather than at the first mail. */
export function checkSmtpSettings(smtp: SmtpSettings): SmtpSettings {
  if (!/^smtps?:\/\/[^/]/i.test(smtp.url))
    throw new Error('The SMTP URL (SMTP_URL) must look like smtp://user:pass@host:587 or smtps://host:465');
  // A made-up sender would be refused or taken for spam by most servers.
  if (!smtp.from.trim()) throw new Error('The SMTP URL is set but the sender address (SMTP_FROM) is not');
  return smtp;
}

export interface MailerOptions {
  readonly db: Kysely<OfficeSchema>;
  readonly smtp: SmtpSettings;
  readonly logger?: FastifyBaseLogger;
  /** Older notifications are never mailed, so turning SMTP on later does not send a backlog. */
  readonly maxAgeMs?: number;
  /** Notifications claimed per round. */
  readonly batchSize?: number;
}

export interface MailRound {
  readonly sent: number;
  readonly failed: number;
  /** The batch was full: more may be waiting. */
  readonly more: boolean;
}

const DAY_MS = 24 * 3_600_000;

/**
 * Mails new notifications to people who have an email address. Each round claims a batch with
 * FOR UPDATE SKIP LOCKED and marks what was sent in the same transaction, so two office processes
 * never mail the same notification; a mail the server refuses stays unmarked for the next round
 * (until it is too old) and does not hold up the others.
 */
export class Mailer {
  readonly #o: Required<Omit<MailerOptions, 'logger'>> & Pick<MailerOptions, 'logger'>;
  readonly #transport: Transporter;

  constructor(options: MailerOptions) {
    checkSmtpSettings(options.smtp);
    this.#o = { maxAgeMs: DAY_MS, batchSize: 20, ...options };
    // Bounded waits: the claimed rows stay locked while a mail is sent.
    this.#transport = nodemailer.createTransport({
      url: options.smtp.url,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 30_000,
    });
  }

  /** Sends one batch; says how many were sent and how many failed. */
  async sendDue(): Promise<MailRound> {
    const { db, smtp, logger, maxAgeMs, batchSize } = this.#o;
    return db.transaction().execute(async (tx) => {
      const claimed = await sql<{ id: string; kind: string; text_vi: string; text_en: string; email: string; full_name: string }>`
        SELECT n.id, n.kind, n.text_vi, n.text_en, u.email, u.full_name
          FROM notifications n JOIN users u ON u.id = n.user_id
         WHERE n.emailed_at IS NULL AND n.created_at > now() - make_interval(secs => ${maxAgeMs / 1000})
           AND u.email IS NOT NULL AND u.email <> '' AND u.active
         ORDER BY n.created_at
         LIMIT ${batchSize}
           FOR UPDATE OF n SKIP LOCKED`.execute(tx);
      let sent = 0;
      let failed = 0;
      for (const n of claimed.rows) {
        try {
          await this.#transport.sendMail({
            from: smtp.from,
            to: { name: n.full_name, address: n.email },
            subject: shorten(n.text_vi, 120),
            text: mailText(n.full_name, n.text_vi, n.text_en),
          });
          await tx.updateTable('notifications').set({ emailed_at: new Date() }).where('id', '=', n.id).execute();
          sent++;
        } catch (error) {
          failed++;
          logger?.warn({ err: error, notificationId: n.id }, 'a notification could not be mailed; it is tried again next round');
        }
      }
      return { sent, failed, more: claimed.rows.length === batchSize };
    });
  }

  close(): void {
    this.#transport.close();
  }
}

/** The body of a notification mail: Vietnamese first, English below. */
export function mailText(fullName: string, vi: string, en: string): string {
  return [
    `Kính gửi ${fullName},`,
    '',
    vi,
    '',
    'Xem chi tiết trong hệ thống quản lý văn bản. Thư này được gửi tự động, xin đừng trả lời.',
    '',
    '---',
    en,
    '',
    'See the details in the document management system. This mail was sent automatically; please do not reply.',
  ].join('\n');
}
