import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { allowListEntries, EMPTY_ALLOW_LIST, parseAllowList } from '../../src/domain/callback-target.js';
import { CallbackSenderThread } from '../../src/outbound/callback-sender-thread.js';
import { type Receiver, startReceiver } from '../helpers/receiver.js';

describe('callback sender thread: the POSTs made off the event loop', () => {
  let receiver: Receiver;
  const senders: CallbackSenderThread[] = [];
  const sender = (options: Partial<ConstructorParameters<typeof CallbackSenderThread>[0]> = {}) => {
    const made = new CallbackSenderThread({ allow: parseAllowList(['127.0.0.1']).allow, concurrency: 2, ...options });
    senders.push(made);
    return made;
  };
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    for (const made of senders) await made.close();
    await receiver.close();
  });

  it('sends from a thread that starts with the first callback, with the headers and the body as handed over', async () => {
    receiver.received.length = 0;
    const threaded = sender();
    assert.equal(threaded.running, false, 'no thread before the first callback');
    const result = await threaded.send(`${receiver.url}/first`, 'event=signed&case=1', { 'webhook-id': 'msg_1', 'webhook-signature': 'v1,abc' }, 2000);
    assert.equal(result.statusCode, 204);
    assert.equal(result.error, null);
    assert.equal(threaded.running, true);
    assert.equal(threaded.threadsStarted, 1);
    const [got] = receiver.received;
    assert.equal(got!.path, '/first');
    assert.equal(got!.body, 'event=signed&case=1');
    assert.equal(got!.headers['webhook-id'], 'msg_1');
    assert.equal(got!.headers['webhook-signature'], 'v1,abc');
    assert.equal(got!.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  it('keeps at most its concurrency in flight, beginning the next handed over as soon as one ends, in order', async () => {
    receiver.received.length = 0;
    const threaded = sender({ concurrency: 2 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    receiver.answers = [{ status: 204, after: held }, { status: 204, after: held }];
    try {
      const sends = [1, 2, 3, 4, 5].map((n) => threaded.send(`${receiver.url}/n${n}`, `n=${n}`, {}, 5000));
      await receiver.waitFor(2);
      // Long enough for a third to arrive if the thread began it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(receiver.received.map((r) => r.path), ['/n1', '/n2'], 'two in flight, the other three wait in the thread');
      release();
      const results = await Promise.all(sends);
      assert.deepEqual(results.map((r) => r.statusCode), [204, 204, 204, 204, 204]);
      assert.deepEqual(receiver.received.map((r) => r.path), ['/n1', '/n2', '/n3', '/n4', '/n5']);
    } finally {
      release();
      receiver.answers = [];
    }
  });

  it('applies the allow list in the thread: a private address is refused without connecting unless allowed', async () => {
    receiver.received.length = 0;
    const refused = await sender({ allow: EMPTY_ALLOW_LIST }).send(`${receiver.url}/private`, 'a=1', {}, 2000);
    assert.equal(refused.statusCode, null);
    assert.match(refused.error ?? '', /address not allowed/);
    const byNetwork = await sender({ allow: parseAllowList(['10.0.0.0/8', '127.0.0.0/8']).allow }).send(`${receiver.url}/network`, 'a=2', {}, 2000);
    assert.equal(byNetwork.statusCode, 204);
    assert.deepEqual(receiver.received.map((r) => r.path), ['/network']);
  });

  it('answers a URL it cannot send to, and the time limit, as attempts that failed', async () => {
    const threaded = sender();
    const unparsable = await threaded.send('not a url', 'a=1', {}, 2000);
    assert.equal(unparsable.statusCode, null);
    assert.match(unparsable.error ?? '', /could not send/);
    receiver.answers = ['hang'];
    const slow = await threaded.send(`${receiver.url}/hang`, 'a=1', {}, 300);
    assert.equal(slow.statusCode, null);
    assert.match(slow.error ?? '', /timed out after 300 ms/);
  });

  it('ends its thread after a while with nothing in flight, and starts another for the next callback', async () => {
    receiver.received.length = 0;
    const threaded = sender({ idleMs: 100 });
    assert.equal((await threaded.send(`${receiver.url}/a`, 'a=1', {}, 2000)).statusCode, 204);
    assert.equal(threaded.running, true);
    for (let i = 0; i < 50 && threaded.running; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(threaded.running, false, 'the idle thread ended');
    assert.equal((await threaded.send(`${receiver.url}/b`, 'a=2', {}, 2000)).statusCode, 204);
    assert.equal(threaded.threadsStarted, 2);
    assert.deepEqual(receiver.received.map((r) => r.path), ['/a', '/b']);
  });

  it('answers what is in flight as not sent when it is closed, and nothing is left running', async () => {
    receiver.received.length = 0;
    const threaded = sender();
    receiver.answers = ['hang'];
    const inFlight = threaded.send(`${receiver.url}/closing`, 'a=1', {}, 10_000);
    await receiver.waitFor(1);
    await threaded.close();
    const result = await inFlight;
    assert.equal(result.statusCode, null);
    assert.match(result.error ?? '', /closed/);
    assert.equal(threaded.running, false);
  });

  it('hands the allow list to the thread as entries that read back into the same list', () => {
    const entries = ['receiver.example', '192.0.2.7', '[2001:db8::5]', '10.0.0.0/8', 'fd00::/8'];
    const allow = parseAllowList(entries).allow;
    const again = parseAllowList(allowListEntries(allow));
    assert.deepEqual(again.invalid, []);
    assert.deepEqual([...again.allow.hosts].sort(), [...allow.hosts].sort());
    assert.deepEqual(
      again.allow.networks.map(([network, bits]) => `${network.toString()}/${bits}`),
      allow.networks.map(([network, bits]) => `${network.toString()}/${bits}`),
    );
  });
});

describe('callback sender thread: a thread replaced while requests wait to cross', () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
  });

  it('sends what was handed over after its thread ended, through the next thread, in the same turn', async () => {
    const threaded = new CallbackSenderThread({ allow: parseAllowList(['127.0.0.1']).allow, concurrency: 2 });
    try {
      assert.equal((await threaded.send(`${receiver.url}/warm`, 'a=0', {}, 2000)).statusCode, 204);
      // Handed over, then the thread ends before the hand-over crosses; then another, in the same turn.
      const before = threaded.send(`${receiver.url}/before`, 'a=1', {}, 2000);
      const closing = threaded.close();
      const afterClose = threaded.send(`${receiver.url}/after`, 'a=2', {}, 2000);
      await closing;
      const lost = new Promise<'never answered'>((resolve) => setTimeout(() => resolve('never answered'), 5000).unref());
      assert.match((await before).error ?? '', /closed/, 'what the ended thread had is not sent');
      const answered = await Promise.race([afterClose, lost]);
      assert.notEqual(answered, 'never answered');
      assert.equal((answered as Exclude<typeof answered, string>).statusCode, 204);
      assert.equal(threaded.threadsStarted, 2);
      assert.deepEqual(receiver.received.map((r) => r.path), ['/warm', '/after']);
    } finally {
      await threaded.close();
    }
  });
});
