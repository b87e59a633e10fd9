import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type SignatureCheck } from '@engine/webhooks/webhook-signature';

export interface ReceivedWebhook {
  eventId: string;
  type: string;
  deliveryId: string;
  attempt: number;
  body: string;
  json: { id: string; type: string; createdAt: string; network: string; data: Record<string, any> };
  signatureHeader: string;
  /** The signature checked against each secret the receiver knows, in order. */
  checks: SignatureCheck[];
}

/**
 * A real HTTP receiver on loopback, as a company's backend would run one: it checks every delivery's
 * Treasury-Signature against the secrets it was given (README's steps), keeps what arrived, and can be taken
 * down and brought back on the same port, answer with another status, or hold its answer (a slow backend).
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  secrets: string[] = [];
  /** Status to answer; 200 by default. */
  status = 200;
  /** Requests after this many wait unanswered until release() (a receiver that hangs mid-delivery). */
  holdAfter: number | null = null;
  private held: Array<() => void> = [];
  /** The receiver's clock against the real one (a test that moves the sender's clock moves this one with it). */
  clockOffsetMs = 0;
  private server: Server | null = null;
  private port = 0;
  private waiters: Array<() => void> = [];

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the listening socket and every open connection: the port refuses connections until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Answers the held requests (whose sender may be gone) and holds no more. */
  release(): void {
    this.holdAfter = null;
    for (const resolve of this.held.splice(0)) resolve();
  }

  /** Distinct event ids in the order they first arrived. */
  firstArrivals(): string[] {
    return [...new Set(this.received.map((r) => r.eventId))];
  }

  async waitFor(count: number, ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (this.received.length < count) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${count} webhooks (got ${this.received.length})`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const header = String(req.headers['treasury-signature'] ?? '');
    this.received.push({
      eventId: String(req.headers['treasury-event-id']),
      type: String(req.headers['treasury-event-type']),
      deliveryId: String(req.headers['treasury-delivery-id']),
      attempt: Number(req.headers['treasury-delivery-attempt']),
      body,
      json: JSON.parse(body),
      signatureHeader: header,
      checks: this.secrets.map((secret) => verifyWebhookSignature(header, body, secret, Math.floor((Date.now() + this.clockOffsetMs) / 1000))),
    });
    for (const w of this.waiters.splice(0)) w();
    if (this.holdAfter !== null && this.received.length > this.holdAfter) await new Promise<void>((resolve) => this.held.push(resolve));
    res.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status === 200 ? 'ok' : 'refused');
  }
}
