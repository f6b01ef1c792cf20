import { createServer, type Server, type Socket } from 'node:net';

/**
 * An SMTP server over real TCP that misbehaves on purpose, for the cases TestSmtp (a well-behaved
 * smtp-server) cannot play:
 * - `stall`: takes the whole message, then neither accepts nor refuses it until `release()` drops the
 *   connection, as a worker sees when it (or its network) dies mid-send;
 * - `reject`: refuses every recipient with a 550.
 */
export class ScriptedSmtp {
  /** RCPT TO commands received (each is one delivery attempt of a one-recipient mail). */
  recipients = 0;
  private readonly held = new Set<Socket>();
  private heldWaiters: (() => void)[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(mode: 'stall' | 'reject'): Promise<ScriptedSmtp> {
    let smtp: ScriptedSmtp | undefined;
    const server = createServer((socket) => smtp?.converse(socket, mode));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    smtp = new ScriptedSmtp(server, `smtp://127.0.0.1:${address.port}`);
    return smtp;
  }

  /** Resolves once a message has been sent in full and is being held (stall mode). */
  holding(): Promise<void> {
    if (this.held.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Drops every held connection: the sender sees its send fail. */
  release(): void {
    for (const socket of this.held) socket.destroy();
    this.held.clear();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private converse(socket: Socket, mode: 'stall' | 'reject'): void {
    socket.on('error', () => {});
    let inData = false;
    let buffered = '';
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 scripted ESMTP');
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (inData) {
          if (line !== '.') continue;
          inData = false;
          this.held.add(socket);
          for (const waiter of this.heldWaiters.splice(0)) waiter();
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 scripted');
        else if (verb === 'MAIL') reply('250 sender ok');
        else if (verb === 'RCPT') {
          this.recipients++;
          reply(mode === 'reject' ? '550 5.1.1 no such mailbox here' : '250 recipient ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 go ahead');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
        } else reply('250 ok');
      }
    });
  }
}
