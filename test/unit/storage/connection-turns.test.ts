import { expect } from 'chai';
import { ConnectionTurns, MAX_OVERTAKES } from '../../../src/storage/connection-turns.js';
import { asBackgroundWork, isBackgroundWork } from '../../../src/storage/work-priority.js';

/** A statement that takes the connection, notes its name and gives it back at once. */
const statement = (turns: ConnectionTurns, order: string[], background: boolean, name: string) =>
  turns.run(background, async () => {
    order.push(name);
  });

describe("the embedded database's one connection: requests first", () => {
  it("runs a request's statements before background work that asked earlier", async () => {
    const turns = new ConnectionTurns();
    const order: string[] = [];
    let holding!: () => void;
    const gate = new Promise<void>((resolve) => (holding = resolve));
    const held = turns.run(false, () => gate);
    const background = [1, 2, 3].map((i) => statement(turns, order, true, `background ${i}`));
    const request = statement(turns, order, false, 'request');
    holding();
    await Promise.all([held, request, ...background]);
    expect(order).to.deep.equal(['request', 'background 1', 'background 2', 'background 3']);
  });

  it("does not let background work in between a request's statements that follow each other", async () => {
    const turns = new ConnectionTurns();
    const order: string[] = [];
    const request = (async () => {
      for (let i = 1; i <= 3; i++) await statement(turns, order, false, `request ${i}`);
    })();
    const background = statement(turns, order, true, 'background');
    await Promise.all([request, background]);
    expect(order).to.deep.equal(['request 1', 'request 2', 'request 3', 'background']);
  });

  it('gives waiting background work a turn after so many requests went first', async () => {
    const turns = new ConnectionTurns();
    const order: string[] = [];
    let holding!: () => void;
    const gate = new Promise<void>((resolve) => (holding = resolve));
    const held = turns.run(false, () => gate);
    const background = statement(turns, order, true, 'background');
    const requests = Array.from({ length: MAX_OVERTAKES + 5 }, (_, i) => statement(turns, order, false, `request ${i}`));
    holding();
    await Promise.all([held, background, ...requests]);
    expect(order.indexOf('background')).to.equal(MAX_OVERTAKES);
    expect(order).to.have.length(MAX_OVERTAKES + 6);
  });

  it('gives the connection back when a statement fails', async () => {
    const turns = new ConnectionTurns();
    const order: string[] = [];
    const failing = turns.run(false, () => Promise.reject(new Error('refused')));
    const next = statement(turns, order, true, 'background');
    const failure = await failing.then(() => undefined, (error: unknown) => error);
    expect(failure).to.be.instanceOf(Error).with.property('message', 'refused');
    await next;
    expect(order).to.deep.equal(['background']);
    expect(turns.waiting()).to.deep.equal({ foreground: 0, background: 0 });
  });

  it('marks what background work awaits, and nothing else', async () => {
    expect(isBackgroundWork()).to.equal(false);
    const seen = await asBackgroundWork(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return isBackgroundWork();
    });
    expect(seen).to.equal(true);
    expect(isBackgroundWork()).to.equal(false);
  });
});
