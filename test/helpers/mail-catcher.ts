import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** The PUBLIC_URL test Hearths use (freshHearth's default): links in mail start with it. */
export const TEST_ORIGIN = 'http://localhost:3000';

/** A real SMTP server in this process: keeps every message it accepts, or refuses them all while `refusing`. */
export class MailCatcher {
  readonly messages: ParsedMail[] = [];
  refusing = false;
  private readonly server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (_address, _session, callback) => {
        if (!this.refusing) return callback();
        const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
        callback(error);
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (parsed) => {
            this.messages.push(parsed);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((t) => t?.text.includes(address)));
  }

  clear(): void {
    this.messages.length = 0;
  }
}

/** A header as it was sent (mailparser reads List-* headers into a structure of its own). */
export function rawHeader(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase());
  if (!line) throw new Error(`no ${name} header`);
  return line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n\s+/g, ' ').trim();
}

/** The first link in a mail's text that starts with `prefix`, as a path on this instance. */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const match = new RegExp(`${TEST_ORIGIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\s>"]*)`).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${prefix} link in:\n${mail.text}`);
  return match[1]!;
}

