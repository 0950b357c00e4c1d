import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingMail } from '../domain/mail/mail.js';

/**
 * The domain's `MailTransport` over SMTP (nodemailer), from SMTP_URL
 * (smtp://user:pass@host:587 or smtps://…:465). One pooled transport per process.
 */
export function smtpTransport(smtpUrl: string, from: string): MailTransport & { close(): void } {
  // Time limits well inside the mail job's lease (5 minutes), so a server that stops answering is a failed try, not a message sent twice.
  const transporter = nodemailer.createTransport({ url: smtpUrl, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return {
    async send(mail: OutgoingMail): Promise<void> {
      await transporter.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: mail.headers ?? {},
      });
    },
    close() {
      transporter.close();
    },
  };
}
